"""Policy settings and project settings: declared defaults, layered overrides, strict keys.

Layers, lowest first: the `setting()` default, `[tool.plangate.policy]`,
`[tool.plangate.environments.NAME]`, then what the command line adds. A key no policy
declares is an error wherever it is written, and so is a pyproject.toml that does not parse.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from plangate.errors import InputError
from plangate.gate import load_project_catalogue
from plangate.policy import SETTINGS
from plangate.policy.settings import SettingsRegistry
from plangate.settings import Settings, find_settings, read_settings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def registry() -> SettingsRegistry:
    reg = SettingsRegistry()
    reg.declare("required_labels", ("project",), "Labels every resource carries.")
    reg.declare("require_pitr", False, "Require point-in-time recovery.")
    reg.declare("max_memory", 0.9, "Highest memory alert threshold.")
    return reg


TABLE = {
    "policy": {"required_labels": ["project", "environment"], "max_memory": 0.8},
    "environments": {
        "prod": {"require_pitr": True, "max_memory": 0.7},
        "dev": {},
    },
}


def test_defaults_come_from_the_declarations(registry):
    assert dict(registry.resolve({}, None)) == {
        "required_labels": ("project",),
        "require_pitr": False,
        "max_memory": 0.9,
    }


def test_the_policy_table_overrides_defaults_for_every_environment(registry):
    for environment in (None, "dev", "staging"):
        resolved = registry.resolve(TABLE, environment)
        assert resolved["required_labels"] == ["project", "environment"]
        assert resolved["max_memory"] == 0.8
        assert resolved["require_pitr"] is False


def test_the_environment_table_overrides_the_policy_table(registry):
    resolved = registry.resolve(TABLE, "prod")
    assert dict(resolved) == {
        "required_labels": ["project", "environment"],
        "require_pitr": True,
        "max_memory": 0.7,
    }


def test_the_command_line_extra_comes_last(registry):
    resolved = registry.resolve(TABLE, "prod", {"max_memory": 0.5, "require_pitr": False})
    assert resolved["max_memory"] == 0.5
    assert resolved["require_pitr"] is False
    assert resolved["required_labels"] == ["project", "environment"]


def test_resolved_settings_are_read_only(registry):
    resolved = registry.resolve(TABLE, "prod")
    with pytest.raises(TypeError):
        resolved["max_memory"] = 1.0  # type: ignore[index]


@pytest.mark.parametrize(
    ("table", "environment", "extra", "where"),
    [
        ({"policy": {"max_memroy": 1}}, None, {}, "[tool.plangate.policy]"),
        ({"environments": {"prod": {"typo": 1}}}, "prod", {}, "[tool.plangate.environments.prod]"),
        ({}, "prod", {"nope": 1}, "command line"),
    ],
)
def test_an_unknown_key_names_its_table(registry, table, environment, extra, where):
    with pytest.raises(InputError) as raised:
        registry.resolve(table, environment, extra)
    message = str(raised.value)
    assert message.startswith(f"{where}: unknown policy setting ")
    assert "\n" not in message


def test_an_unknown_key_in_an_environment_no_plan_uses_is_still_an_error(registry):
    table = {**TABLE, "environments": {**TABLE["environments"], "qa": {"require_pitr_": True}}}
    registry.resolve(table, "prod")  # judging prod alone does not look at qa ...
    with pytest.raises(
        InputError, match=r"^\[tool\.plangate\.environments\.qa\]: .*'require_pitr_'"
    ):
        registry.check_tables(table)  # ... but the project check does
    registry.check_tables(TABLE)


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({"policy": ["a"]}, r"\[tool\.plangate\.policy\] must be a table"),
        ({"environments": ["prod"]}, r"\[tool\.plangate\.environments\] must be a table"),
        ({"environments": {"prod": 1}}, r"\[tool\.plangate\.environments\.prod\] must be a table"),
    ],
)
def test_tables_that_are_not_tables_are_errors(registry, table, says):
    with pytest.raises(InputError, match=says):
        registry.check_tables(table)


def test_a_setting_may_be_declared_again_only_with_the_same_default(registry):
    assert registry.declare("require_pitr", False, "Again, from another module.") == "require_pitr"
    with pytest.raises(ValueError, match="require_pitr declared twice"):
        registry.declare("require_pitr", True, "Different default.")


def test_specs_are_sorted_and_descriptions_are_one_line():
    reg = SettingsRegistry()
    reg.declare("zeta", 1, "last\n    of all")
    reg.declare("alpha", MappingProxyType({}), "first")
    assert [(s.name, s.description) for s in reg.specs()] == [
        ("alpha", "first"),
        ("zeta", "last of all"),
    ]


# --- the repository's catalogue and pyproject -------------------------------------------------


@pytest.fixture(scope="module")
def repo_settings() -> Settings:
    settings = read_settings(REPO / "pyproject.toml")
    load_project_catalogue(settings)
    return settings


def test_the_repository_turns_firestore_protection_on_for_prod_only(repo_settings):
    prod = SETTINGS.resolve(repo_settings.raw, "prod")
    dev = SETTINGS.resolve(repo_settings.raw, "dev")
    assert prod["require_firestore_pitr"] is True
    assert prod["require_firestore_delete_protection"] is True
    assert dev["require_firestore_pitr"] is False
    assert dev["require_firestore_delete_protection"] is False
    assert dev["expect_no_changes"] is False
    assert SETTINGS.resolve(repo_settings.raw, "dev", {"expect_no_changes": True})[
        "expect_no_changes"
    ]


def test_every_catalogue_setting_has_a_description(repo_settings):
    names = {spec.name for spec in SETTINGS.specs()}
    assert {"expect_no_changes", "require_firestore_pitr", "stateful_types"} <= names
    assert all(spec.description for spec in SETTINGS.specs())


def pyproject(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n' + body, "utf-8")
    return path


def test_an_unknown_key_in_an_unused_environment_fails_loading_the_catalogue(tmp_path):
    path = pyproject(
        tmp_path,
        f"""
[tool.plangate]
policies = ["{REPO / "policies"}"]

[tool.plangate.environments.qa]
require_firestore_pitr = true
requir_firestore_delete_protection = true
""",
    )
    settings = read_settings(path)
    with pytest.raises(InputError) as raised:
        load_project_catalogue(settings)
    message = str(raised.value)
    assert message.startswith("[tool.plangate.environments.qa]: unknown policy setting")
    assert "'requir_firestore_delete_protection'" in message


def test_an_unknown_key_in_the_policy_table_fails_loading_the_catalogue(tmp_path):
    path = pyproject(
        tmp_path,
        f'[tool.plangate]\npolicies = ["{REPO / "policies"}"]\n\n'
        "[tool.plangate.policy]\nrequired_lables = []\n",
    )
    with pytest.raises(InputError, match=r"^\[tool\.plangate\.policy\]: .*'required_lables'"):
        load_project_catalogue(read_settings(path))


# --- pyproject.toml ---------------------------------------------------------------------------


def test_a_bad_pyproject_is_a_one_line_error_naming_the_file(tmp_path):
    path = pyproject(tmp_path, "[tool.plangate\nplans = [\n")
    with pytest.raises(InputError) as raised:
        read_settings(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: cannot read [tool.plangate] (")
    assert "\n" not in message


def test_a_pyproject_that_is_not_utf8_is_a_one_line_error(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"\xff\xfe[tool]")
    with pytest.raises(InputError, match=r"cannot read \[tool\.plangate\]"):
        read_settings(path)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("[tool]\nplangate = 1\n", r"\[tool\.plangate\] must be a table"),
        ("[tool.plangate]\nplans = 1\n", r"plans must be a list"),
        ("[tool.plangate]\nplans = [1]\n", r"plans must be a list"),
    ],
)
def test_malformed_plangate_tables_are_errors(tmp_path, body, says):
    with pytest.raises(InputError, match=says):
        read_settings(pyproject(tmp_path, body))


def test_settings_read_plans_and_keep_the_raw_table(tmp_path):
    path = pyproject(tmp_path, '[tool.plangate]\nplans = "plans/*.json"\nconfig = "tf"\n')
    settings = read_settings(path)
    assert settings.root == tmp_path.resolve()
    assert settings.plans == ("plans/*.json",)
    assert settings.raw["config"] == "tf"


def test_find_settings_uses_the_nearest_pyproject_above(tmp_path):
    pyproject(tmp_path, '[tool.plangate]\nplans = ["a.json"]\n')
    nested = tmp_path / "deep" / "er"
    nested.mkdir(parents=True)
    assert find_settings(nested).plans == ("a.json",)
    assert find_settings(nested).root == tmp_path.resolve()


def test_without_a_pyproject_settings_are_empty(tmp_path):
    above = [p for p in tmp_path.resolve().parents if (p / "pyproject.toml").is_file()]
    assert not above, f"this test needs a temporary directory with no pyproject.toml above: {above}"
    settings = find_settings(tmp_path)
    assert (settings.root, settings.plans, dict(settings.raw)) == (tmp_path.resolve(), (), {})


# --- plan patterns ----------------------------------------------------------------------------


@pytest.fixture
def plan_tree(tmp_path: Path) -> Settings:
    for name in ("plans/prod.json", "plans/dev.json", "plans/scenarios/a.json", "other.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    return Settings(root=tmp_path, plans=("plans/*.json",))


def test_plan_globs_expand_sorted_under_the_root(plan_tree, monkeypatch):
    root = plan_tree.root
    assert plan_tree.plan_paths() == (root / "plans/dev.json", root / "plans/prod.json")
    # command-line patterns expand from the working directory, as typed
    monkeypatch.chdir(root)
    assert plan_tree.plan_paths(("plans/**/*.json",)) == (
        Path("plans/dev.json"),
        Path("plans/prod.json"),
        Path("plans/scenarios/a.json"),
    )
    assert plan_tree.plan_paths(("**/*.json",), cwd=root / "plans") == (
        root / "plans/dev.json",
        root / "plans/prod.json",
        root / "plans/scenarios/a.json",
    )


def test_plan_patterns_keep_order_and_drop_duplicates(plan_tree, monkeypatch):
    monkeypatch.chdir(plan_tree.root)
    assert plan_tree.plan_paths(("plans/prod.json", "plans/*.json")) == (
        Path("plans/prod.json"),
        Path("plans/dev.json"),
    )


def test_a_plan_glob_that_matches_nothing_is_an_error(plan_tree, monkeypatch):
    monkeypatch.chdir(plan_tree.root)
    with pytest.raises(InputError) as raised:
        plan_tree.plan_paths(("plans/*.tfplan.json",))
    assert str(raised.value) == (
        f"plan pattern 'plans/*.tfplan.json' matches no file under {plan_tree.root}"
    )
    with pytest.raises(InputError, match="matches no file"):
        Settings(root=plan_tree.root, plans=("nowhere/*.json",)).plan_paths()


def test_absolute_paths_and_stdin_pass_through(plan_tree):
    absolute = plan_tree.root / "plans" / "dev.json"
    assert plan_tree.plan_paths((str(absolute), "-")) == (absolute, Path("-"))
