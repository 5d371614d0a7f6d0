"""The policy registry: the decorator's checks, what a spec records, and catalogue loading.

Written to kill the survivors of a mutation run of plangate.policy.registry (issue 14): each
test names the behaviour a mutant changed without any other test noticing.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from plangate.errors import InputError
from plangate.policy import Registry, Severity, View, policy
from plangate.policy.registry import import_policy_module, load_catalogue


def _register(reg: Registry, **changes):
    fields = {
        "id": "PG-REG-001",
        "title": "t",
        "severity": "low",
        "rationale": "r",
        "resource_types": ["google_storage_bucket"],
        "registry": reg,
        **changes,
    }

    def judge(resource, context):
        yield from ()

    return policy(**fields)(judge)


def test_a_spec_records_what_the_decorator_was_given():
    reg = Registry()
    _register(reg, rationale="  spread\n   over lines ", requirements=["REQ-007"])
    (spec,) = list(reg)
    assert spec.judges_inventory is False
    assert spec.requirements == ("REQ-007",)
    assert spec.rationale == "spread over lines"
    assert spec.severity is Severity.LOW and spec.view is View.AFTER
    # the service is the last part of the defining module's name
    assert spec.service == __name__.rsplit(".", 1)[-1] == "test_policy_registry"


def test_the_service_is_the_last_part_of_a_dotted_module_name():
    reg = Registry()

    def judge(resource, context):
        yield from ()

    judge.__module__ = "plangate_catalogue.policies_0123456789ab.cloud_run"
    policy(
        id="PG-REG-002",
        title="t",
        severity="high",
        rationale="r",
        resource_types=["google_cloud_run_v2_service"],
        registry=reg,
    )(judge)
    assert reg.get("PG-REG-002").service == "cloud_run"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "GCS-1"}, "policy id 'GCS-1' must look like PG-SERVICE-001"),
        ({"requirements": ["REQ-1"]}, "PG-REG-001: requirement 'REQ-1' must look like REQ-001"),
        (
            {"requirements": ["REQ-001", "req-002"]},
            "PG-REG-001: requirement 'req-002' must look like REQ-001",
        ),
        (
            {"resource_types": []},
            "PG-REG-001: resource views need resource_types and the plan view takes none",
        ),
        (
            {"view": "plan"},
            "PG-REG-001: resource views need resource_types and the plan view takes none",
        ),
    ],
)
def test_the_decorator_refuses_what_cannot_be_a_policy(changes, message):
    with pytest.raises(ValueError) as refused:
        _register(Registry(), **changes)
    assert str(refused.value) == message


def test_well_formed_requirements_are_accepted():
    reg = Registry()
    _register(reg, requirements=["REQ-001", "REQ-999"])
    assert reg.get("PG-REG-001").requirements == ("REQ-001", "REQ-999")


def test_the_registry_lists_by_id_and_answers_membership():
    reg = Registry()
    _register(reg, id="PG-REG-003")
    _register(reg, id="PG-REG-001")
    assert [spec.id for spec in reg] == ["PG-REG-001", "PG-REG-003"]
    assert len(reg) == 2 and "PG-REG-003" in reg and "PG-REG-002" not in reg
    with pytest.raises(InputError) as unknown:
        reg.get("PG-REG-002")
    assert str(unknown.value) == "no policy with id 'PG-REG-002'; `plangate policies` lists them"


def test_severities_rank_from_info_to_critical():
    assert [s.rank for s in Severity] == [4, 3, 2, 1, 0]


def _folder(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, "utf-8")
    return folder


POLICY = """\
from plangate.policy import Registry, policy

REG = Registry()


@policy(id="PG-{n}-001", title="t", severity="low", rationale="r",
        resource_types=["google_storage_bucket"], registry=REG)
def judge(resource, context):
    yield from ()
"""


def test_load_catalogue_skips_private_modules_and_loads_every_other(tmp_path):
    folder = _folder(
        tmp_path,
        "rules",
        {
            "_helpers.py": "raise RuntimeError('a private module is never imported')\n",
            "a_first.py": POLICY.format(n="AA"),
            "b_second.py": POLICY.format(n="BB"),
        },
    )
    load_catalogue([folder])
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    here = f"plangate_catalogue.rules_{digest}."
    loaded = {name[len(here) :] for name in sys.modules if name.startswith(here)}
    assert loaded == {"a_first", "b_second"}


def test_a_missing_policy_folder_is_named(tmp_path):
    with pytest.raises(InputError) as missing:
        load_catalogue([tmp_path / "absent"])
    assert str(missing.value) == f"{tmp_path / 'absent'}: policy directory not found"


def test_a_policy_module_is_named_by_its_folder_and_a_12_digit_digest(tmp_path):
    folder = _folder(tmp_path, "named", {"one.py": POLICY.format(n="NM")})
    import_policy_module(folder / "one.py")
    resolved = str(folder.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    assert f"plangate_catalogue.named_{digest}.one" in sys.modules


def test_a_policy_module_that_fails_to_import_is_named_with_its_error(tmp_path):
    folder = _folder(tmp_path, "broken", {"bad.py": "undefined_name\n"})
    with pytest.raises(InputError) as failed:
        import_policy_module(folder / "bad.py")
    assert str(failed.value) == (
        f"{folder / 'bad.py'}: policy module failed to import: "
        "NameError: name 'undefined_name' is not defined"
    )
    assert not any(name.endswith(".bad") for name in sys.modules if "broken_" in name)


def test_a_file_python_cannot_load_as_a_module_is_refused(tmp_path):
    folder = _folder(tmp_path, "odd", {"data.txt": "not python"})
    with pytest.raises(InputError) as refused:
        import_policy_module(folder / "data.txt")
    assert str(refused.value) == f"{folder / 'data.txt'}: cannot import policy module"


def test_a_policy_folder_whose_name_is_not_utf8_still_imports(tmp_path):
    # a byte that is not UTF-8 in a folder name reaches Python as a lone surrogate
    folder = _folder(tmp_path, "rules-\udcff", {"odd.py": POLICY.format(n="NU")})
    import_policy_module(folder / "odd.py")
    assert any(name.endswith(".odd") for name in sys.modules if "rules-" in name)


def test_one_id_defined_twice_is_refused_and_the_same_definition_registers_once():
    reg = Registry()

    def judge(resource, context):
        yield from ()

    register = policy(
        id="PG-DUP-001",
        title="t",
        severity="low",
        rationale="r",
        resource_types=["google_storage_bucket"],
        registry=reg,
    )
    register(judge)
    register(judge)  # the same source file imported twice
    assert len(reg) == 1
    first = reg.get("PG-DUP-001")
    with pytest.raises(InputError) as twice:
        _register(reg, id="PG-DUP-001")
    elsewhere = Registry()
    _register(elsewhere, id="PG-DUP-001")
    second = elsewhere.get("PG-DUP-001").source
    assert second != first.source
    assert (
        str(twice.value) == f"policy id PG-DUP-001 is defined twice ({first.source} and {second})"
    )
    assert reg.get("PG-DUP-001") is first


def test_without_a_registry_the_decorator_registers_in_the_default_one(monkeypatch):
    from plangate.policy import registry as registry_module

    default = Registry()
    monkeypatch.setattr(registry_module, "REGISTRY", default)

    def judge(resource, context):
        yield from ()

    judge.__module__ = "undotted"
    policy(
        id="PG-DEF-001",
        title="t",
        severity="low",
        rationale="r",
        resource_types=["google_storage_bucket"],
        judges_inventory=True,
    )(judge)
    spec = default.get("PG-DEF-001")
    assert spec.service == "undotted"
    assert spec.judges_inventory is True
