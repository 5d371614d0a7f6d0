"""The policy catalogue page: docs/policies.md is generated and must stay current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plangate.catalogue_doc import render_json, render_markdown, render_text
from plangate.gate import load_project_catalogue
from plangate.policy import REGISTRY, SETTINGS, Registry, View, policy
from plangate.policy.settings import SettingsRegistry
from plangate.settings import read_settings

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "policies.md"
REGENERATE = (
    "cd to the repository root and run: plangate policies --format markdown > docs/policies.md"
)


@pytest.fixture(scope="module")
def catalogue() -> None:
    load_project_catalogue(read_settings(REPO / "pyproject.toml"))


def test_docs_policies_md_is_current(catalogue):
    assert PAGE.is_file(), f"docs/policies.md is missing; {REGENERATE}"
    current = PAGE.read_text("utf-8")
    assert render_markdown(REGISTRY, SETTINGS) == current, (
        f"docs/policies.md is stale; {REGENERATE}"
    )


def test_the_page_lists_every_policy_and_setting(catalogue):
    page = PAGE.read_text("utf-8")
    for spec in REGISTRY:
        assert f"| [{spec.id}](#{spec.id.lower()}) | {spec.severity.value} |" in page
        assert f"\n## {spec.id}\n" in page
    for setting in SETTINGS.specs():
        assert f"| `{setting.name}` | `{json.dumps(setting.default)}` |" in page


def small_catalogue() -> tuple[Registry, SettingsRegistry]:
    reg = Registry()

    @policy(
        id="PG-DOC-001",
        title="Titles with | pipes stay in their cell",
        severity="high",
        rationale="""A rationale written
        over several lines reads as one paragraph.""",
        resource_types=["google_storage_bucket", "google_storage_bucket_iam_member"],
        references=["https://cloud.google.com/storage/docs"],
        requirements=["REQ-001", "REQ-007"],
        registry=reg,
    )
    def one(resource, context):
        yield from ()

    @policy(
        id="PG-DOC-002",
        title="Whole-plan check",
        severity="info",
        rationale="Plan view.",
        view=View.PLAN,
        registry=reg,
    )
    def two(plan, context):
        yield from ()

    settings = SettingsRegistry()
    settings.declare("zeta_list", ["a", "b"], "A list | with a pipe\nand a newline.")
    settings.declare("alpha_flag", False, "A flag.")
    return reg, settings


def test_markdown_rendering():
    reg, settings = small_catalogue()
    page = render_markdown(reg, settings)
    assert page.startswith("# Policy catalogue\n")
    assert page.endswith("\n") and not page.endswith("\n\n")
    assert (
        "| [PG-DOC-001](#pg-doc-001) | high | Titles with \\| pipes stay in their cell | after | "
        "`google_storage_bucket`, `google_storage_bucket_iam_member` |"
    ) in page
    assert "| [PG-DOC-002](#pg-doc-002) | info | Whole-plan check | plan | whole plan |" in page
    assert "A rationale written over several lines reads as one paragraph." in page
    assert "References: <https://cloud.google.com/storage/docs>" in page
    one, two = page.split("\n## PG-DOC-002\n")
    assert "\nRequirements: REQ-001, REQ-007\n" in one
    assert "Requirements:" not in two.split("\n## Settings\n")[0]
    assert page.index("| `alpha_flag` | `false` | A flag. |") < page.index(
        '| `zeta_list` | `["a", "b"]` | A list \\| with a pipe and a newline. |'
    )


def test_text_and_json_rendering():
    reg, settings = small_catalogue()
    text = render_text(reg, settings).splitlines()
    assert text[0].split()[:3] == ["PG-DOC-001", "high", "after"]
    assert text[-1] == "2 policies; settings: alpha_flag, zeta_list"
    document = json.loads(render_json(reg, settings))
    assert [p["id"] for p in document["policies"]] == ["PG-DOC-001", "PG-DOC-002"]
    assert document["policies"][1]["view"] == "plan"
    assert [p["requirements"] for p in document["policies"]] == [["REQ-001", "REQ-007"], []]
    assert document["settings"][1] == {
        "name": "zeta_list",
        "default": ["a", "b"],
        "description": "A list | with a pipe and a newline.",
    }
