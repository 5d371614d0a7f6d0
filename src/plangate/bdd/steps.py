"""The step definitions. Registered as a pytest plugin, so every feature (and test) sees them.

Phrases are read in two stages: a step regex claims a family (`resources ...`, `their "x" ...`,
`there are ...`), then plangate reads the rest itself. So no two definitions can match the
same text, and a phrase plangate cannot read fails with the forms it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from pytest_bdd import given, parsers, then, when

from plangate.bdd.compare import (
    Predicate,
    StepTextError,
    Verdict,
    equal,
    lookup,
    parse_fraction,
    parse_literal,
    parse_predicate,
    read_path,
    show,
)
from plangate.bdd.context import (
    HIDDEN_HINT,
    Offence,
    ScenarioState,
    StepState,
    judge,
    judge_some,
)
from plangate.bdd.relate import membership_predicate, references_of, refers_to
from plangate.bdd.select import (
    action_words,
    describe_actions,
    names_provider,
    quoted_values,
    selection,
    will_be,
)
from plangate.plan import UNKNOWN, LoadedPlan, ResourceChange, format_path, render
from plangate.pytest.session import INVENTORY_PARAM, loaded_plan_for, plan_paths

T = TypeVar("T")

_PATH = r'"(?P<path>(?:[^"\[]|\[\d+\]|\["[^"]*"\])+)"'
_IF_ANY = r"(?P<if_any>\s+\(if any\))?"
_UNKNOWN_OK = r"(?P<unknown_ok>\s+or (?:is )?known after apply)?"
_NUMBERS = {
    "no": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


@pytest.fixture
def plangate_scenario(
    request: pytest.FixtureRequest, loaded_plan: LoadedPlan, plan_path: Path
) -> ScenarioState:
    """The state of the running scenario on the plan it is parametrised with."""
    return ScenarioState(
        config=request.config, node=request.node, loaded=loaded_plan, plan_path=plan_path
    )


def _read(state: ScenarioState, read: Callable[[], T]) -> T:
    """Run a step-text reader; unreadable text fails the step with its location."""
    try:
        return read()
    except StepTextError as error:
        raise state.failure(f"cannot read this step: {error}") from None


def _predicate(state: ScenarioState, text: str, some: str | None = None) -> Predicate:
    """A predicate on values, or on membership among another selection's values."""
    predicate = _read(
        state,
        lambda: membership_predicate(state.loaded.plan, text) or parse_predicate(text),
    )
    if some and predicate.on_change:
        state.fail(f"cannot read this step: {text!r} judges a whole change; drop {some.strip()!r}")
    return predicate


# ------------------------------------------------------------------------------ selection


def _select(state: ScenarioState, noun: str, clauses: str, if_any: str | None) -> None:
    description, test = _read(state, lambda: selection(noun, clauses))
    state.narrow(test, description, allow_empty=bool(if_any))


_SELECT = parsers.re(r"(?P<noun>(?:all )?(?:resources|data sources))(?P<clauses>.*?)" + _IF_ANY)


@given(_SELECT)
@when(_SELECT)
def select_resources(
    plangate_scenario: ScenarioState, noun: str, clauses: str, if_any: str | None
) -> None:
    """`Given resources of type "T" in module "m" that will be deleted (if any)`."""
    _select(plangate_scenario, noun, clauses or "", if_any)


_WILL_BE = parsers.re(r"(?:they|it) will (?P<negated>not )?be (?P<actions>[a-z ,]+?)" + _IF_ANY)


@given(_WILL_BE)
@when(_WILL_BE)
def narrow_by_action(
    plangate_scenario: ScenarioState, negated: str | None, actions: str, if_any: str | None
) -> None:
    """`And they will be deleted`, `When they will not be replaced`."""
    state = plangate_scenario
    wanted = will_be(_read(state, lambda: action_words(actions)))
    state.keep(
        (lambda s: not wanted(s.change)) if negated else (lambda s: wanted(s.change)),
        f"that will {negated or ''}be {actions}",
    )
    state.allow_empty = state.allow_empty or bool(if_any)


_HAVE = parsers.re(
    r"(?:they|it) (?P<negated>do not |does not |don't |doesn't )?(?:have|has) "
    + _PATH
    + _UNKNOWN_OK
    + _IF_ANY
)


@given(_HAVE)
@when(_HAVE)
def narrow_by_presence(
    plangate_scenario: ScenarioState,
    negated: str | None,
    path: str,
    unknown_ok: str | None,
    if_any: str | None,
) -> None:
    """`When they have "labels.environment"`, `When they do not have "retention_policy"`."""
    state = plangate_scenario
    attribute = _read(state, lambda: read_path(path))
    predicate = parse_predicate("is absent" if negated else "is present")
    state.filter_values(
        attribute,
        predicate,
        bool(unknown_ok),
        f'that {"do not have" if negated else "have"} "{path}"',
    )
    state.allow_empty = state.allow_empty or bool(if_any)


_SOME = r"(?P<some>(?:any|at least one) of )?"
_FILTER = parsers.re(
    _SOME + r"(?:their|its) " + _PATH + r" (?P<predicate>.+?)" + _UNKNOWN_OK + _IF_ANY
)


@given(_FILTER)
@when(_FILTER)
def narrow_by_value(
    plangate_scenario: ScenarioState,
    some: str | None,
    path: str,
    predicate: str,
    unknown_ok: str | None,
    if_any: str | None,
) -> None:
    """`When their "location" is "EU"` keeps the resources whose location is "EU";
    `When any of their "lifecycle_rule.action.type" is "Delete"` needs one value to pass."""
    state = plangate_scenario
    attribute = _read(state, lambda: read_path(path))
    test = _predicate(state, predicate, some)
    state.filter_values(
        attribute,
        test,
        bool(unknown_ok),
        f'{"any of whose" if some else "whose"} "{path}" {predicate}',
        judge_some if some else judge,
    )
    state.allow_empty = state.allow_empty or bool(if_any)


@given(parsers.re(r'the (?P<environment>"[^"]+"|[\w.-]+) plan'))
def for_environment(plangate_scenario: ScenarioState, environment: str) -> None:
    """`Given the <environment> plan`: run on the session's plan(s) of that environment.

    On a plan of another environment the scenario is skipped, with a reason naming both, so an
    outline over environments neither fails nor passes where it does not apply. When no plan
    of the session has that environment (a per-environment CI job, or a misspelt name), the
    skip also raises a warning, shown in the summary: the control was not checked anywhere.
    The environment is the plan variable `environment`, or --plan-env.
    """
    from plangate.gate import plan_environment

    state = plangate_scenario
    wanted = environment.strip('"')
    override = state.config.getoption("--plan-env")
    current = plan_environment(state.loaded, override)
    if current == wanted:
        return
    reason = (
        f"scenario is for the {wanted} plan; this is the "
        f"{current or 'unlabelled'} plan ({state.plan_label()})"
    )
    others = {
        path: plan_environment(loaded_plan_for(state.config, path), override)
        for path in plan_paths(state.config)
    }
    if wanted not in others.values():
        listing = ", ".join(
            f"{state._relative(str(path))} ({env or 'no environment variable'})"
            for path, env in others.items()
        )
        reason += f"; no plan of this session is {wanted}: {listing}"
        state.node.warn(
            pytest.PytestWarning(
                f"{state.where()}: not checked on any plan: no plan of this session is "
                f"{wanted} ({listing})"
            )
        )
    state.skip(reason)


# ------------------------------------------------------------------------------ assertions


_NOT_A_REFERENCE = r"(?!(?:do not |does not |don't |doesn't )?refers? to )"
_ASSERT = parsers.re(
    _SOME + r"(?:their|its) " + _PATH + " " + _NOT_A_REFERENCE + r"(?P<predicate>.+?)" + _UNKNOWN_OK
)


@then(_ASSERT)
def assert_value(
    plangate_scenario: ScenarioState,
    some: str | None,
    path: str,
    predicate: str,
    unknown_ok: str | None,
) -> None:
    """`Then their "versioning[0].enabled" is true` on every selected resource; with
    `any of their`, at least one value the path reaches on each resource passes."""
    state = plangate_scenario
    attribute = _read(state, lambda: read_path(path))
    test = _predicate(state, predicate, some)
    state.assert_each(
        [(attribute, test)], unknown_ok=bool(unknown_ok), judging=judge_some if some else judge
    )


_REFERS = parsers.re(
    r"(?:(?:their|its) " + _PATH + r"|(?:they|it)) "
    r"(?P<negated>do not |does not |don't |doesn't )?refers? to (?P<targets>.+)"
)


@then(_REFERS)
def assert_reference(
    plangate_scenario: ScenarioState, path: str | None, negated: str | None, targets: str
) -> None:
    """`Then their "all_updates_rule.pubsub_topic" refers to "google_pubsub_topic.alerts"`.

    Read from the configuration, so it holds for values only known after apply. Addresses are
    as written in the resource's own module (`var.x`, `module.y.z`, `google_x.y`); with several
    targets, one must be referred to (or, negated, none). Terraform records no references for
    expressions inside `dynamic` blocks, so those cannot be seen here.
    """
    state = plangate_scenario
    wanted = _read(state, lambda: quoted_values(targets))
    if not all(wanted):
        state.fail('cannot read this step: a referenced address is empty ("")')
    attribute = _read(state, lambda: read_path(path)) if path is not None else None
    subjects = state.selected()
    plan = state.loaded.plan
    lines: list[str] = []
    where = f'"{path}"' if path is not None else "the configuration"
    expected = f"{'no reference' if negated else 'a reference'} to {' or '.join(wanted)}"
    for subject in subjects:
        found = references_of(plan, subject.change, attribute)
        if found.problem is not None:
            lines.append(f"{subject.label}: {where}: expected {expected}, actual {found.problem}")
        elif any(refers_to(found.addresses, target) for target in wanted) == bool(negated):
            listed = ", ".join(found.addresses)
            lines.append(
                f"{subject.label}: {where}: expected {expected}, actual "
                + (f"references {listed}" if listed else "no references")
            )
    if lines:
        state.fail(
            f"{len(lines)} of {len(subjects)} selected resource(s) fail "
            f"(selection: {state.selection_label()}):",
            lines,
        )


@then(parsers.re(r"(?:their|its) attributes are:?"))
def assert_attributes(plangate_scenario: ScenarioState, datatable: list[list[str]]) -> None:
    """A table of `| attribute | value |` rows, each an equality on every selected resource."""
    state = plangate_scenario
    rows = [row for row in datatable if any(cell.strip() for cell in row)]
    if rows and [cell.strip().lower() for cell in rows[0][:2]] == ["attribute", "value"]:
        rows = rows[1:]
    if not rows or any(len(row) != 2 for row in rows):
        state.fail("the table needs rows of two cells: | attribute | value |")
    checks = []
    for attribute, value in rows:
        expected = _read(state, lambda value=value: parse_literal(value))
        checks.append(
            (
                _read(state, lambda attribute=attribute: read_path(attribute.strip())),
                Predicate(f"is {value}", render(expected), lambda a, e=expected: equal(a, e)),
            )
        )
    state.assert_each(checks)


@then(parsers.re(r"(?:the )?budgets? alerts? at (?P<exact>exactly )?these thresholds:?"))
def assert_budget_thresholds(
    plangate_scenario: ScenarioState, exact: str | None, datatable: list[list[str]]
) -> None:
    """Each selected budget (all `google_billing_budget` when nothing is selected) alerts at
    the table's thresholds (`25%` or `0.25`); with `exactly`, at no others."""
    state = plangate_scenario
    if state.selection is None:
        state.narrow(
            lambda change: change.mode == "managed" and change.type == "google_billing_budget",
            'budgets (resources of type "google_billing_budget")',
        )
    cells = [cell.strip() for row in datatable for cell in row if cell.strip()]
    if cells and not re.match(r"^[\d.]+\s*%?$", cells[0]):
        cells = cells[1:]  # a header cell such as "threshold"
    wanted = sorted({round(_read(state, lambda c=cell: parse_fraction(c)), 9) for cell in cells})
    if not wanted:
        state.fail("the table lists no thresholds")
    path = ("threshold_rules", "threshold_percent")
    offences: list[Offence] = []
    subjects = state.selected()
    for subject in subjects:
        reached = list(lookup(subject.values, path))
        values = [value for _, value in reached]
        expected = ("exactly " if exact else "") + _percentages(wanted)
        if any(value is UNKNOWN for value in values):
            offences.append(
                Offence(subject, path, expected, "(known after apply)", Verdict.UNKNOWN)
            )
            continue
        known = sorted(
            {
                round(float(v), 9)
                for v in values
                if isinstance(v, int | float) and not isinstance(v, bool)
            }
        )
        missing = [t for t in wanted if t not in known]
        extra = [t for t in known if t not in wanted] if exact else []
        if missing or extra:
            notes = []
            if missing:
                notes.append(f"missing {_percentages(missing)}")
            if extra:
                notes.append(f"unexpected {_percentages(extra)}")
            actual = _percentages(known) if known else "no thresholds"
            offences.append(
                Offence(subject, path, expected, f"{actual} ({'; '.join(notes)})", Verdict.FAIL)
            )
    if offences:
        state.fail(
            f"{len(offences)} of {len(subjects)} budget(s) do not alert at the thresholds "
            f"(selection: {state.selection_label()}):",
            (offence.line() for offence in offences),
        )


def _percentages(values: list[float]) -> str:
    return ", ".join(f"{value * 100:g}%" for value in values) or "none"


_COUNT = re.compile(
    r"(?:(?P<none>no(?: such)? resources?|none|nothing)"
    r"|(?P<op>at least|at most|exactly|more than|fewer than|less than)?\s*"
    r"(?P<number>\d+|[a-z]+)(?:\s+(?:resources?|of them))?)"
)


@then(parsers.re(r"there (?:is|are) (?P<count>.+)"))
def assert_count(plangate_scenario: ScenarioState, count: str) -> None:
    """`there is at least one`, `there are exactly 4`, `at most 2`, `there are no resources`."""
    state = plangate_scenario
    match = _COUNT.fullmatch(count.strip())
    number = None
    if match is not None and match.group("none") is None:
        word = match.group("number")
        number = int(word) if word.isdigit() else _NUMBERS.get(word)
    if match is None or (match.group("none") is None and number is None):
        state.fail(
            f"cannot read the count {count!r}; write: there is at least one, there are exactly N, "
            "at least N, at most N, more than N, fewer than N, there are no resources"
        )
    op = "exactly" if match.group("none") is not None else (match.group("op") or "exactly")
    if match.group("none") is not None:
        number = 0
    assert number is not None
    subjects = state.current()
    found = len(subjects)
    ok = {
        "exactly": found == number,
        "at least": found >= number,
        "at most": found <= number,
        "more than": found > number,
        "fewer than": found < number,
        "less than": found < number,
    }[op]
    if not ok:
        expected = "no resources" if number == 0 and op == "exactly" else f"{op} {number}"
        state.fail(
            f"expected {expected}, found {found} (selection: {' '.join(state.described)})"
            + (":" if subjects else ""),
            (f"{s.address} ({describe_actions(s.change)})" for s in subjects),
        )


_HAVE_THEN = parsers.re(
    r"(?:they|it) (?P<negated>do not |does not |don't |doesn't )?(?:have|has) "
    + _PATH
    + _UNKNOWN_OK
)


@then(_HAVE_THEN)
def assert_presence(
    plangate_scenario: ScenarioState, negated: str | None, path: str, unknown_ok: str | None
) -> None:
    """`Then they have "labels.environment"`: present (not absent, null or empty) on every one."""
    state = plangate_scenario
    attribute = _read(state, lambda: read_path(path))
    test = _read(state, lambda: parse_predicate("is absent" if negated else "is present"))
    state.assert_each([(attribute, test)], unknown_ok=bool(unknown_ok))


_WILL_BE_THEN = parsers.re(r"(?:they|it) will (?P<negated>not )?be (?P<actions>[a-z ,]+)")


@then(_WILL_BE_THEN)
def assert_action(plangate_scenario: ScenarioState, negated: str | None, actions: str) -> None:
    """`Then they will not be destroyed`: every selected resource, offenders listed."""
    state = plangate_scenario
    wanted = will_be(_read(state, lambda: action_words(actions)))
    subjects = state.selected()
    offenders = [s for s in subjects if wanted(s.change) == bool(negated)]
    if offenders:
        state.fail(
            f"{len(offenders)} of {len(subjects)} selected resource(s) will "
            f"{'' if negated else 'not '}be {actions} (selection: {state.selection_label()}):",
            (
                f"{s.address}: expected {'not ' if negated else ''}{actions}, "
                f"actual {describe_actions(s.change)}"
                for s in offenders
            ),
        )


# ------------------------------------------------------------------------------ plan level


def _change_lines(changes: list[ResourceChange]) -> Iterator[str]:
    for change in changes:
        line = f"{change.display_address}: {describe_actions(change)}"
        paths = change.change.changed_paths
        if paths:
            shown = ", ".join(format_path(path) for path in paths[:10])
            more = len(paths) - 10
            line += f" ({shown}{f' and {more} more' if more > 0 else ''})"
        yield line


@then(parsers.re(r"the plan (?:has|makes) no (?P<what>changes|deletes|destroys|drift)"))
def assert_plan_has_no(plangate_scenario: ScenarioState, what: str) -> None:
    """`no changes` (resources and outputs), `no deletes` (deletes and replacements), `no drift`."""
    state = plangate_scenario
    plan = state.loaded.plan
    if what == "changes":
        changes = list(plan.changes)
        outputs = list(plan.changing_outputs)
        if changes or outputs:
            lines = list(_change_lines(changes))
            lines.extend(f"output.{o.name}: {o.actions}" for o in outputs)
            state.fail(f"expected no changes, found {len(lines)}:", lines)
    elif what in ("deletes", "destroys"):
        destroyed = [c for c in plan.resource_changes if c.actions.destroys]
        if destroyed:
            state.fail(
                f"expected nothing deleted or replaced, found {len(destroyed)}:",
                _change_lines(destroyed),
            )
    elif plan.resource_drift:
        state.fail(
            f"expected no drift, found {len(plan.resource_drift)} resource(s) changed outside "
            "Terraform:",
            _change_lines(list(plan.resource_drift)),
        )


@then(parsers.re(r"the plan is complete and not errored"))
def assert_plan_complete(plangate_scenario: ScenarioState) -> None:
    """Fails on `errored: true` or `complete: false`; versions that write neither pass."""
    state = plangate_scenario
    plan = state.loaded.plan
    problems = []
    if plan.errored is True:
        problems.append("errored: true (Terraform hit errors while planning)")
    if plan.complete is False:
        deferred = [d.resource_change.address for d in plan.deferred_changes]
        problems.append(
            "complete: false (another plan and apply are needed"
            + (f"; deferred: {', '.join(deferred)}" if deferred else "")
            + ")"
        )
    if problems:
        state.fail("the plan is not complete and clean:", problems)


@then(parsers.re(r'output "(?P<name>[^"]+)" (?P<predicate>does not change|changes)'))
def assert_output_change(plangate_scenario: ScenarioState, name: str, predicate: str) -> None:
    """`Then output "bucket_url" does not change`."""
    state = plangate_scenario
    change = state.loaded.plan.output_changes.get(name)
    if change is None:
        names = ", ".join(sorted(state.loaded.plan.output_changes)) or "none"
        state.fail(f"the plan has no output {name!r} (outputs: {names})")
    changes = change.actions.changes_infrastructure
    if changes != (predicate == "changes"):
        state.fail(
            f"output.{name}: expected {'a change' if predicate == 'changes' else 'no change'}, "
            f"actual {change.actions} ({show(change.before)} -> {show(change.after)})"
        )


@then(parsers.re(r'output "(?P<name>[^"]+)" is (?P<value>.+?)' + _UNKNOWN_OK))
def assert_output_value(
    plangate_scenario: ScenarioState, name: str, value: str, unknown_ok: str | None
) -> None:
    """`Then output "region" is "europe-west1"`: the planned value of a root output."""
    state = plangate_scenario
    expected = _read(state, lambda: parse_literal(value))
    plan = state.loaded.plan
    change = plan.output_changes.get(name)
    planned = plan.planned_values.outputs.get(name)
    if change is not None:
        actual = change.after
    elif planned is not None:
        actual = planned.value
    else:
        names = ", ".join(sorted(plan.output_changes) or sorted(plan.planned_values.outputs))
        state.fail(f"the plan has no output {name!r} (outputs: {names or 'none'})")
    verdict = equal(actual, expected)
    if verdict is Verdict.PASS or (verdict is Verdict.UNKNOWN and unknown_ok):
        return
    line = f"output.{name}: expected {render(expected)}, actual {show(actual)}"
    if verdict is Verdict.UNKNOWN:
        line += ' (cannot be decided before apply; end the step with "or known after apply" to accept it)'
    state.fail("the output does not have the expected value:", [line])


@then(parsers.re(r'variable "(?P<name>[^"]+)" (?P<predicate>.+)'))
def assert_variable(plangate_scenario: ScenarioState, name: str, predicate: str) -> None:
    """`Then variable "environment" is one of "dev", "staging", "prod"`: a root input variable.

    A sensitive variable is never read: comparing it fails as (sensitive).
    """
    state = plangate_scenario
    test = _predicate(state, predicate)
    if test.on_change:
        state.fail(f"variables do not change within a plan; {predicate!r} cannot apply to one")
    variables = state.loaded.plan.variables
    if name not in variables:
        state.fail(
            f"the plan has no variable {name!r} (variables: {', '.join(sorted(variables)) or 'none'})"
        )
    verdict = test.test(variables[name])
    if verdict is not Verdict.PASS:
        line = f"var.{name}: expected {test.expected}, actual {show(variables[name])}"
        if verdict is Verdict.HIDDEN:
            line += f" ({HIDDEN_HINT})"
        state.fail("the variable does not have the expected value:", [line])


@then(parsers.re(r'the version constraint of provider "(?P<name>[^"]+)" (?P<predicate>.+)'))
def assert_provider_constraint(plangate_scenario: ScenarioState, name: str, predicate: str) -> None:
    """`Then the version constraint of provider "google" matches "~> [56][.]0"`: every
    configuration of that provider (aliases and modules too); none at all fails."""
    state = plangate_scenario
    test = _predicate(state, predicate)
    if test.on_change:
        state.fail(f"{predicate!r} cannot apply to a version constraint")
    configs = [
        config
        for config in state.loaded.plan.configuration.provider_configs.values()
        if name == config.key or names_provider(config.full_name or config.name, name)
    ]
    if not configs:
        known = ", ".join(sorted(state.loaded.plan.configuration.provider_configs)) or "none"
        state.fail(f"the plan's configuration has no provider {name!r} (providers: {known})")
    lines = [
        f"provider {config.key}: version constraint: expected {test.expected}, actual "
        f"{show(config.version_constraint)}"
        for config in configs
        if test.test(config.version_constraint) is not Verdict.PASS
    ]
    if lines:
        state.fail(
            f"{len(lines)} of {len(configs)} configuration(s) of provider {name} fail:", lines
        )


@then(parsers.re(r'polic(?:y|ies) (?P<ids>"[^"]+"(?:\s*(?:,\s*and|,|and)\s*"[^"]+")*) pass(?:es)?'))
def assert_policy(request: pytest.FixtureRequest, ids: str) -> None:
    """`Then policy "PG-GCS-001" passes`: the catalogue policy, judged by the engine.

    The engine runs once per plan per session (shared with the gate's policy items), and once
    on the inventory in a `@conformance` feature; waived findings pass and are shown in the
    report, a policy with nothing to judge skips.
    """
    from plangate.policy import REGISTRY, Status

    on_inventory = INVENTORY_PARAM in request.fixturenames  # a scenario of a @conformance feature
    state: StepState = request.getfixturevalue(
        "plangate_inventory" if on_inventory else "plangate_scenario"
    )
    wanted = re.findall(r'"([^"]+)"', ids)
    report = state.policy_report()
    missing = [policy_id for policy_id in wanted if policy_id not in REGISTRY]
    if missing:
        known = ", ".join(spec.id for spec in REGISTRY) or "none"
        state.fail(
            f"no policy {', '.join(missing)} in the catalogue (known: {known}); "
            "`plangate policies` lists them"
        )
    lines: list[str] = []
    not_applicable: list[str] = []
    for policy_id in wanted:
        (result,) = [r for r in report.results if r.spec.id == policy_id]
        if result.status is Status.ERROR:
            lines.append(f"{policy_id} {result.spec.title}: raised {result.error}")
        elif result.status is Status.NOT_APPLICABLE:
            types = ", ".join(result.spec.resource_types) or "this kind"
            not_applicable.append(f"{policy_id} (nothing of {types})")
        for finding in result.findings:
            if finding.status is Status.WAIVED and finding.waiver is not None:
                state.node.add_report_section(
                    "call",
                    "waived",
                    f"{policy_id} {finding.address}: {finding.message}; waived: "
                    f"{finding.waiver.justification} (approved by {finding.waiver.approver}, "
                    f"expires {finding.waiver.expires})",
                )
            elif finding.status is Status.FAIL:
                lines.append(f"{policy_id} {finding.address}: {finding.message}")
    if lines:
        state.fail(f"{len(lines)} violation(s) of {', '.join(wanted)}:", lines)
    if not_applicable and len(not_applicable) == len(wanted):
        judged = "the inventory" if on_inventory else "this plan"
        state.skip(f"not applicable to {judged}: {', '.join(not_applicable)}")
