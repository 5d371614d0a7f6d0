"""docs/requirements.md and the controls agree, so an auditor can trust either side.

Controls point at requirements: a policy declares `requirements=(...)`, a scenario carries
`@REQ-NNN` tags. The document repeats those links under each requirement for its readers.
Each rule below is a function that returns the problems it finds; the repository must have
none, and each rule is also shown to catch a small breach of its own.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_bdd.gherkin_parser import get_gherkin_document

from plangate.gate import load_project_catalogue
from plangate.policy import REGISTRY, PolicySpec, Registry, policy
from plangate.requirements import Requirement, parse_requirements
from plangate.settings import read_settings

REPO = Path(__file__).resolve().parents[1]
SETTINGS = read_settings(REPO / "pyproject.toml")
DOCUMENT = SETTINGS.root / SETTINGS.raw["requirements"]

REQUIREMENT_ID = re.compile(r"REQ-\d{3}")
POLICY_ID = re.compile(r"PG-[A-Z]+-\d{3}")
TEST_REFERENCE = re.compile(r"tests/[\w/]+\.py::\w+")
HEADING = re.compile(r"^#{1,6}\s", re.MULTILINE)
REQUIREMENT_HEADING = re.compile(r"^#{2,4}\s+(REQ-\d{3}):", re.MULTILINE)

Scenario = tuple[str, str]
"""A scenario as the document names it: feature file name, scenario name."""


@dataclass(frozen=True)
class Traces:
    """Which requirements each control names, as the code says."""

    policies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scenarios: Mapping[Scenario, tuple[str, ...]] = field(default_factory=dict)

    def policies_of(self, requirement: str) -> set[str]:
        return {pid for pid, named in self.policies.items() if requirement in named}

    def scenarios_of(self, requirement: str) -> set[Scenario]:
        return {key for key, named in self.scenarios.items() if requirement in named}


@dataclass(frozen=True)
class Listing:
    """What a requirement's section of the document says enforces it."""

    enforced: bool
    policies: frozenset[str]
    scenarios: frozenset[Scenario]


# ------------------------------------------------------------------------------ reading


def sections(document: str) -> dict[str, str]:
    """Each requirement's text, from its heading to the next heading of any level."""
    starts = [match.start() for match in HEADING.finditer(document)] + [len(document)]
    found: dict[str, str] = {}
    for start, end in itertools.pairwise(starts):
        heading = REQUIREMENT_HEADING.match(document, start)
        if heading:
            found[heading.group(1)] = document[start:end]
    return found


def listing(section: str) -> Listing:
    """The `Enforced by:` block of a section: `- policies:`, `- scenarios:`, `- tests:`."""
    lines = section.splitlines()
    if "Enforced by:" not in lines:
        return Listing(False, frozenset(), frozenset())
    items: dict[str, str] = {}
    for line in lines[lines.index("Enforced by:") + 1 :]:
        item = re.match(r"- (\w+): (.*)$", line)
        if item:
            assert item.group(1) in ("policies", "scenarios", "tests"), line
            items[item.group(1)] = item.group(2)
    scenarios: set[Scenario] = set()
    for part in items.get("scenarios", "").split(";"):
        named = re.match(r"\s*([\w-]+\.feature): (.*)$", part)
        if named:
            feature, names = named.groups()
            scenarios.update((feature, name) for name in re.findall(r'"([^"]+)"', names))
    policies = frozenset(POLICY_ID.findall(items.get("policies", "")))
    return Listing(True, policies, frozenset(scenarios))


def repository_traces(registry: Registry) -> Traces:
    """What the repository's policies and feature files name."""
    scenarios: dict[Scenario, tuple[str, ...]] = {}
    for path in sorted((SETTINGS.root / SETTINGS.raw["features"]).glob("*.feature")):
        feature = get_gherkin_document(str(path)).feature
        for child in feature.children:
            if child.scenario is not None:
                tags = (tag.name.lstrip("@") for tag in child.scenario.tags)
                named = tuple(tag for tag in tags if REQUIREMENT_ID.fullmatch(tag))
                scenarios[(path.name, child.scenario.name)] = named
    return Traces({spec.id: spec.requirements for spec in registry}, scenarios)


# -------------------------------------------------------------------------------- rules


def numbering_problems(requirements: Iterable[Requirement]) -> list[str]:
    """Ids run REQ-001, REQ-002, ... in document order, with no gap (a duplicate fails to parse)."""
    ids = [requirement.id for requirement in requirements]
    expected = [f"REQ-{number:03d}" for number in range(1, len(ids) + 1)]
    return [
        f"{found} where {wanted} belongs"
        for found, wanted in zip(ids, expected, strict=True)
        if found != wanted
    ]


def coverage_problems(document: str, traces: Traces) -> list[str]:
    """Every requirement is either enforced by controls the document lists, or verified
    outside the gate; never neither, never both."""
    problems = []
    text = sections(document)
    for requirement in parse_requirements(document, "document"):
        controls = traces.policies_of(requirement.id) | {
            f"{feature}: {name}" for feature, name in traces.scenarios_of(requirement.id)
        }
        enforced = listing(text[requirement.id]).enforced
        if requirement.verified_by is None and not controls:
            problems.append(f"{requirement.id}: no control traces to it and no 'Verified by:'")
        if requirement.verified_by is None and not enforced:
            problems.append(f"{requirement.id}: no 'Enforced by:' block and no 'Verified by:'")
        if requirement.verified_by is not None and (controls or enforced):
            problems.append(
                f"{requirement.id}: has 'Verified by:' but is also enforced by "
                f"{sorted(controls) or 'an Enforced by: block'}"
            )
    return problems


def undefined_problems(requirements: Iterable[Requirement], traces: Traces) -> list[str]:
    """Every requirement a control names is one the document defines."""
    defined = {requirement.id for requirement in requirements}
    named = [(pid, reqs) for pid, reqs in traces.policies.items()]
    named += [(f"{feature}: {name}", reqs) for (feature, name), reqs in traces.scenarios.items()]
    return [
        f"{control} names {requirement}, which the document does not define"
        for control, reqs in named
        for requirement in reqs
        if requirement not in defined
    ]


def untraced_problems(traces: Traces) -> list[str]:
    """Every policy and every scenario stands for at least one requirement."""
    problems = [
        f"{pid} declares no requirement" for pid, reqs in traces.policies.items() if not reqs
    ]
    problems += [
        f"{feature}: {name} carries no @REQ-NNN tag"
        for (feature, name), reqs in traces.scenarios.items()
        if not reqs
    ]
    return problems


def listing_problems(document: str, traces: Traces) -> list[str]:
    """Each requirement lists exactly the policies and scenarios that name it: a listed
    control must exist and trace to it, and a control that traces to it must be listed."""
    problems = []
    for requirement, section in sections(document).items():
        listed = listing(section)
        for pid in sorted(listed.policies - traces.policies_of(requirement)):
            why = "does not declare it" if pid in traces.policies else "is no policy"
            problems.append(f"{requirement} lists {pid}, which {why}")
        for pid in sorted(traces.policies_of(requirement) - listed.policies):
            problems.append(f"{requirement} does not list {pid}, which declares it")
        for feature, name in sorted(listed.scenarios - traces.scenarios_of(requirement)):
            why = (
                "is not tagged with it" if (feature, name) in traces.scenarios else "is no scenario"
            )
            problems.append(f'{requirement} lists {feature}: "{name}", which {why}')
        for feature, name in sorted(traces.scenarios_of(requirement) - listed.scenarios):
            problems.append(f'{requirement} does not list {feature}: "{name}", tagged with it')
    return problems


def missing_test_problems(document: str, root: Path) -> list[str]:
    """Every test the document cites exists as a test function in its file."""
    problems = []
    for reference in sorted(set(TEST_REFERENCE.findall(document))):
        file, name = reference.split("::")
        path = root / file
        if not path.is_file() or not re.search(rf"^def {name}\(", path.read_text(), re.MULTILINE):
            problems.append(f"{reference} does not exist")
    return problems


def rationale_problems(specs: Iterable[PolicySpec]) -> list[str]:
    """A rationale cites only requirements its policy declares, so prose and trace agree."""
    return [
        f"{spec.id} cites {requirement} but does not declare it"
        for spec in specs
        for requirement in sorted(set(REQUIREMENT_ID.findall(spec.rationale)))
        if requirement not in spec.requirements
    ]


# -------------------------------------------------------------------- the repository


@pytest.fixture(scope="module")
def document() -> str:
    return DOCUMENT.read_text("utf-8")


@pytest.fixture(scope="module")
def catalogue() -> Registry:
    load_project_catalogue(SETTINGS)
    return REGISTRY


@pytest.fixture(scope="module")
def traces(catalogue: Registry) -> Traces:
    return repository_traces(catalogue)


def test_ids_are_numbered_without_gaps(document: str) -> None:
    requirements = parse_requirements(document, str(DOCUMENT))
    assert requirements, f"{DOCUMENT} defines no requirement"
    assert numbering_problems(requirements) == []


def test_every_requirement_is_enforced_or_verified(document: str, traces: Traces) -> None:
    assert coverage_problems(document, traces) == []


def test_every_requirement_a_control_names_is_defined(document: str, traces: Traces) -> None:
    assert undefined_problems(parse_requirements(document, str(DOCUMENT)), traces) == []


def test_every_policy_and_scenario_is_traced(traces: Traces) -> None:
    assert traces.policies and traces.scenarios
    assert untraced_problems(traces) == []


def test_the_document_lists_exactly_the_controls_that_trace_to_each_requirement(
    document: str, traces: Traces
) -> None:
    assert listing_problems(document, traces) == []


def test_every_cited_test_exists(document: str) -> None:
    assert TEST_REFERENCE.search(document)
    assert missing_test_problems(document, REPO) == []


def test_rationales_cite_only_declared_requirements(catalogue: Registry) -> None:
    assert rationale_problems(catalogue) == []


# ------------------------------------------------------------- each rule can fail

SAMPLE = """# Requirements

### REQ-001: Buckets keep their objects

> "a quote"

Enforced by:

- policies: PG-GCS-001
- scenarios: data.feature: "Buckets are safe", "Buckets are private"
- tests: `tests/test_requirements_trace.py::test_ids_are_numbered_without_gaps`

### REQ-002: The drill is run

Verified by: the team, every quarter.
"""

SAMPLE_TRACES = Traces(
    {"PG-GCS-001": ("REQ-001",)},
    {
        ("data.feature", "Buckets are safe"): ("REQ-001",),
        ("data.feature", "Buckets are private"): ("REQ-001",),
    },
)


def sample_problems(document: str, traces: Traces) -> list[str]:
    requirements = parse_requirements(document, "sample")
    return [
        *numbering_problems(requirements),
        *coverage_problems(document, traces),
        *undefined_problems(requirements, traces),
        *untraced_problems(traces),
        *listing_problems(document, traces),
        *missing_test_problems(document, REPO),
    ]


def test_the_sample_has_no_problem() -> None:
    assert sample_problems(SAMPLE, SAMPLE_TRACES) == []


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("### REQ-002", "### REQ-003", "REQ-003 where REQ-002 belongs"),
        ("Verified by: the team, every quarter.", "", "REQ-002: no control traces to it"),
        ("Enforced by:", "Checked by:", "REQ-001: no 'Enforced by:' block"),
        ("every quarter.", "every quarter.\n\nEnforced by:\n", "REQ-002: has 'Verified by:'"),
        (
            "PG-GCS-001\n",
            "PG-GCS-001, PG-GCS-002\n",
            "REQ-001 lists PG-GCS-002, which is no policy",
        ),
        ("- policies: PG-GCS-001\n", "", "REQ-001 does not list PG-GCS-001, which declares it"),
        (
            '"Buckets are private"',
            '"Buckets are gone"',
            'lists data.feature: "Buckets are gone", which is no',
        ),
        (', "Buckets are private"', "", 'does not list data.feature: "Buckets are private"'),
        ("test_ids_are_numbered_without_gaps", "test_gone", "::test_gone does not exist"),
    ],
)
def test_each_document_rule_catches_its_breach(old: str, new: str, problem: str) -> None:
    assert old in SAMPLE
    found = sample_problems(SAMPLE.replace(old, new), SAMPLE_TRACES)
    assert any(problem in line for line in found), found


@pytest.mark.parametrize(
    ("traces", "problem"),
    [
        (
            Traces({"PG-GCS-001": ("REQ-001", "REQ-009")}, SAMPLE_TRACES.scenarios),
            "PG-GCS-001 names REQ-009, which the document does not define",
        ),
        (
            Traces({"PG-GCS-001": ("REQ-001",), "PG-GCS-002": ()}, SAMPLE_TRACES.scenarios),
            "PG-GCS-002 declares no requirement",
        ),
        (
            Traces(
                SAMPLE_TRACES.policies, {**SAMPLE_TRACES.scenarios, ("data.feature", "Loose"): ()}
            ),
            "data.feature: Loose carries no @REQ-NNN tag",
        ),
        (
            Traces({"PG-GCS-001": ("REQ-001", "REQ-002")}, SAMPLE_TRACES.scenarios),
            "REQ-002: has 'Verified by:' but is also enforced by ['PG-GCS-001']",
        ),
        (
            Traces(
                {"PG-GCS-001": ("REQ-001",)}, {("data.feature", "Buckets are safe"): ("REQ-001",)}
            ),
            'REQ-001 lists data.feature: "Buckets are private", which is no scenario',
        ),
        (
            Traces(
                {"PG-GCS-001": ("REQ-002",)},
                SAMPLE_TRACES.scenarios,
            ),
            "REQ-001 lists PG-GCS-001, which does not declare it",
        ),
    ],
)
def test_each_trace_rule_catches_its_breach(traces: Traces, problem: str) -> None:
    found = sample_problems(SAMPLE, traces)
    assert any(problem in line for line in found), found


def test_a_rationale_citing_an_undeclared_requirement_is_caught() -> None:
    registry = Registry()

    @policy(
        id="PG-DOC-001",
        title="A sample",
        severity="low",
        rationale="Fixed by the team (REQ-001: a quote); see also REQ-002.",
        resource_types=["google_storage_bucket"],
        requirements=("REQ-001",),
        registry=registry,
    )
    def sample(resource, context):
        yield from ()

    assert rationale_problems(registry) == ["PG-DOC-001 cites REQ-002 but does not declare it"]
