"""Instance addresses from plans reduced to configuration addresses, keys read by a tokenizer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plangate.config import parse_resource_address, strip_instance_keys
from plangate.errors import InputError


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("google_storage_bucket.models", "google_storage_bucket.models"),
        ('google_project_service.apis["run.googleapis.com"]', "google_project_service.apis"),
        (
            'module.iam.google_project_iam_member.roles["runtime-logging"]',
            "module.iam.google_project_iam_member.roles",
        ),
        ("module.a[0].google_x.y[2]", "module.a.google_x.y"),
        (
            'module.a["x.y"].module.b[3].data.google_project.this',
            "module.a.module.b.data.google_project.this",
        ),
        ('google_x.y["a]b[c"]', "google_x.y"),
        ('google_x.y["say \\"hi\\". ok"]', "google_x.y"),
        ('google_x.y["back\\\\"]', "google_x.y"),
        ('google_x.y["$${literal}"]', "google_x.y"),
        ("module.m", "module.m"),
    ],
)
def test_strip_instance_keys(address: str, expected: str) -> None:
    assert strip_instance_keys(address) == expected


@pytest.mark.parametrize(
    "address",
    [
        "",
        "google_x.",
        "google_x.y[",
        "google_x.y[a]",
        'google_x.y["open]',
        "google_x.y[0",
        "google_x.y[0]z",
        "google_x..y",
        ".google_x.y",
        "google x.y",
    ],
)
def test_malformed_addresses_raise_input_error(address: str) -> None:
    with pytest.raises(InputError) as caught:
        strip_instance_keys(address)
    assert "\n" not in str(caught.value)


def test_parse_keeps_keys_modes_and_module_path() -> None:
    parsed = parse_resource_address('module.a["k.1"].module.b[0].data.google_project.this["x"]')
    assert [(s.name, s.key) for s in parsed.module_path] == [("a", "k.1"), ("b", 0)]
    assert (parsed.mode, parsed.type, parsed.name, parsed.key) == (
        "data",
        "google_project",
        "this",
        "x",
    )
    assert parsed.config_address == "module.a.module.b.data.google_project.this"
    assert parsed.address_in_module == "data.google_project.this"
    assert parse_resource_address("google_x.y").module_address == ""


@pytest.mark.parametrize("address", ["module.a", "google_x", "google_x[0].y", "a.b.c.d"])
def test_parse_rejects_non_resource_addresses(address: str) -> None:
    with pytest.raises(InputError):
        parse_resource_address(address)


def _terraform_quote(key: str) -> str:
    """How Terraform writes a string instance key: HCL-quoted, templates escaped."""
    out = key.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    out = out.replace("${", "$${").replace("%{", "%%{")
    out = "".join(c if c.isprintable() or c == "\\" else f"\\u{ord(c):04x}" for c in out)
    return f'"{out}"'


_KEYS = st.text(st.characters(exclude_categories=("Cs",), max_codepoint=0xFFFF), max_size=20)


@given(module_key=_KEYS, key=_KEYS, index=st.integers(min_value=0, max_value=10**6))
def test_any_string_key_round_trips(module_key: str, key: str, index: int) -> None:
    address = (
        f"module.a[{_terraform_quote(module_key)}].module.b[{index}]"
        f".google_x.y[{_terraform_quote(key)}]"
    )
    parsed = parse_resource_address(address)
    assert [step.key for step in parsed.module_path] == [module_key, index]
    assert parsed.key == key
    assert strip_instance_keys(address) == "module.a.module.b.google_x.y"
