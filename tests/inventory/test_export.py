"""Export files: every accepted form decodes to the same assets, every wrong one is refused."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from plangate.errors import InputError, PlanGateError
from plangate.inventory import Asset, Binding, ContentType, InventoryIncomplete
from plangate.inventory import export as export_module
from plangate.inventory.export import ExportInventory

PROJECT = "//cloudresourcemanager.googleapis.com/projects/123"
BUCKET = "//storage.googleapis.com/logs-eu"
TOPIC = "//pubsub.googleapis.com/projects/demo/topics/events"

# ExportAssets records: proto field names (snake_case); RESOURCE and IAM_POLICY are separate.
BUCKET_RESOURCE = {
    "name": BUCKET,
    "asset_type": "storage.googleapis.com/Bucket",
    "resource": {
        "version": "v1",
        "discovery_document_uri": "https://www.googleapis.com/discovery/v1/apis/storage/v1/rest",
        "discovery_name": "Bucket",
        "parent": PROJECT,
        "data": {
            "name": "logs-eu",
            "location": "EU",
            "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": True}},
            "labels": {"env": "prod", "owner": "café ☕"},
        },
        "location": "eu",
    },
    "ancestors": ["projects/123", "organizations/456"],
    "update_time": "2024-05-01T10:00:00.123456Z",
}
BUCKET_POLICY = {
    "name": BUCKET,
    "asset_type": "storage.googleapis.com/Bucket",
    "iam_policy": {
        "version": 3,
        "etag": "CAE=",
        "bindings": [
            {"role": "roles/storage.objectViewer", "members": ["group:audit@example.com"]},
            {
                "role": "roles/storage.admin",
                "members": ["user:ana@example.com"],
                "condition": {"title": "q2", "expression": "request.time < timestamp('2025')"},
            },
        ],
    },
    "ancestors": ["projects/123", "organizations/456"],
    "update_time": "2024-05-01T10:00:00Z",
}
TOPIC_RESOURCE = {
    "name": TOPIC,
    "asset_type": "pubsub.googleapis.com/Topic",
    "resource": {
        "version": "v1",
        "discovery_name": "Topic",
        "parent": PROJECT,
        "data": {"name": "projects/demo/topics/events", "messageRetentionDuration": "86400s"},
    },
    "ancestors": ["projects/123"],
}
EXPORT = [BUCKET_RESOURCE, BUCKET_POLICY, TOPIC_RESOURCE]


def camel(record: dict[str, Any]) -> dict[str, Any]:
    """The record as `gcloud asset list --format=json` prints it: a camelCase envelope around
    `resource.data`, which is the service's own JSON and stays as it is."""

    def spell(key: str) -> str:
        first, *rest = key.split("_")
        return first + "".join(word.title() for word in rest)

    spelled = {spell(key): value for key, value in record.items()}
    if "resource" in spelled:
        spelled["resource"] = {spell(key): value for key, value in record["resource"].items()}
    return spelled


def ndjson(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read(path: Path) -> tuple[list[Asset], ExportInventory]:
    inventory = ExportInventory(path)
    return list(inventory.records()), inventory


def assert_export(assets: list[Asset]) -> None:
    """The three records of EXPORT, in order, whichever form they were read from."""
    assert [(a.name, a.asset_type, a.content_type) for a in assets] == [
        (BUCKET, "storage.googleapis.com/Bucket", ContentType.RESOURCE),
        (BUCKET, "storage.googleapis.com/Bucket", ContentType.IAM_POLICY),
        (TOPIC, "pubsub.googleapis.com/Topic", ContentType.RESOURCE),
    ]
    bucket, policy, topic = assets
    assert bucket.data is not None and bucket.bindings is None
    assert bucket.data["iamConfiguration"]["uniformBucketLevelAccess"]["enabled"] is True
    assert bucket.data["labels"]["owner"] == "café ☕"
    assert (bucket.location, bucket.parent) == ("eu", PROJECT)
    assert bucket.ancestors == ("projects/123", "organizations/456")
    assert bucket.update_time == "2024-05-01T10:00:00.123456Z"
    assert policy.data is None
    assert policy.bindings == (
        Binding("roles/storage.objectViewer", ("group:audit@example.com",)),
        Binding(
            "roles/storage.admin", ("user:ana@example.com",), "request.time < timestamp('2025')"
        ),
    )
    assert topic.data == {
        "name": "projects/demo/topics/events",
        "messageRetentionDuration": "86400s",
    }


# --------------------------------------------------------------------------- accepted forms


def test_one_ndjson_file(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(ndjson(EXPORT))
    assets, inventory = read(path)
    assert_export(assets)
    source = inventory.source
    assert source.kind == "export"
    assert source.files == ((str(path), sha256(path)),)
    assert str(path) in source.description


def test_blank_lines_crlf_bom_and_no_final_newline_are_read(tmp_path: Path) -> None:
    lines = [json.dumps(record) for record in EXPORT]
    path = tmp_path / "export"
    path.write_bytes(("\ufeff\n" + "\r\n\r\n".join(lines)).encode())  # last line unterminated
    assert_export(read(path)[0])


def test_gzip_is_recognised_by_its_magic_bytes_not_its_name(tmp_path: Path) -> None:
    path = tmp_path / "export.json"  # no .gz: the content decides
    path.write_bytes(gzip.compress(ndjson(EXPORT)))
    assets, inventory = read(path)
    assert_export(assets)
    assert inventory.source.files == ((str(path), sha256(path)),)  # the compressed bytes


def test_sharded_folder_is_walked_sorted_and_skips_dotfiles_and_readmes(tmp_path: Path) -> None:
    root = tmp_path / "cai"
    # ExportAssets with uri_prefix: PREFIX/<asset_type>/<shard>; asset types nest two folders.
    shards = {
        "iam/storage.googleapis.com/Bucket/0": ndjson([BUCKET_POLICY]),
        "resource/pubsub.googleapis.com/Topic/0": gzip.compress(ndjson([TOPIC_RESOURCE])),
        "resource/storage.googleapis.com/Bucket/0": ndjson([BUCKET_RESOURCE]),
        "resource/storage.googleapis.com/Bucket/1": b"",  # an empty shard adds nothing
    }
    for relative, content in shards.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (root / "README.md").write_text("exported on Monday\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assets, inventory = read(root)
    assert [(a.asset_type, a.content_type) for a in assets] == [
        ("storage.googleapis.com/Bucket", ContentType.IAM_POLICY),
        ("pubsub.googleapis.com/Topic", ContentType.RESOURCE),
        ("storage.googleapis.com/Bucket", ContentType.RESOURCE),
    ]
    expected = tuple((str(root / r), sha256(root / r)) for r in sorted(shards))
    assert inventory.source.files == expected
    assert "(4 files)" in inventory.source.description


def test_gcloud_array_with_camel_case_keys(tmp_path: Path) -> None:
    path = tmp_path / "assets.json"
    path.write_text(json.dumps([camel(record) for record in EXPORT], indent=2))
    assets, inventory = read(path)
    assert_export(assets)
    assert inventory.source.files == ((str(path), sha256(path)),)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
@pytest.mark.parametrize("indent", [None, 2])
def test_array_elements_spanning_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, indent: int | None
) -> None:
    """Every cut point: inside strings, escapes, surrogate pairs, numbers, literals, whitespace."""
    monkeypatch.setattr(export_module, "CHUNK_SIZE", chunk)
    odd = {
        **TOPIC_RESOURCE,
        "resource": {"data": {"s": 'q"\\\n😀é', "n": [-1.5e-3, 12345, True, None]}},
    }
    path = tmp_path / "assets.json"
    path.write_text(json.dumps([camel(r) for r in EXPORT] + [odd], indent=indent) + "\n")
    assets, _ = read(path)
    assert_export(assets[:3])
    assert assets[3].data == {"s": 'q"\\\n😀é', "n": (-1.5e-3, 12345, True, None)}


def test_source_is_refused_until_records_are_exhausted(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(ndjson(EXPORT))
    inventory = ExportInventory(path)
    records = inventory.records()
    next(records)
    with pytest.raises(RuntimeError, match="after records"):
        inventory.source  # noqa: B018
    list(records)
    assert inventory.source.files == ((str(path), sha256(path)),)


@pytest.mark.parametrize(("form", "count"), [("ndjson", 50_000), ("array", 10_000)])
def test_records_are_streamed_not_read_whole(tmp_path: Path, form: str, count: int) -> None:
    path = tmp_path / "big.json"
    with path.open("w") as out:
        out.write("[\n" if form == "array" else "")
        for n in range(count):
            record = {**BUCKET_RESOURCE, "name": f"{BUCKET}-{n}"}
            if form == "array":
                out.write(("," if n else "") + json.dumps(camel(record), indent=2))
            else:
                out.write(json.dumps(record) + "\n")
        out.write("]\n" if form == "array" else "")
    size = path.stat().st_size
    inventory = ExportInventory(path)
    tracemalloc.start()
    try:
        read = sum(1 for _ in inventory.records())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == count
    assert peak < size / 4, f"peak {peak:,} bytes for a {size:,}-byte export"
    assert inventory.source.files == ((str(path), sha256(path)),)


# --------------------------------------------------------------------------- refusals


def refusal(path: Path, kind: type[PlanGateError] = InputError, exit_code: int = 2) -> str:
    """Read something that must be refused; return the one-line message after checking it."""
    with pytest.raises(PlanGateError) as caught:
        read(path)
    error = caught.value
    assert type(error) is kind
    assert error.exit_code == exit_code
    message = str(error)
    assert len(message.splitlines()) == 1, message
    assert message.startswith(str(path)), message
    return message


def write(tmp_path: Path, content: bytes | str, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope: no such file or folder; expected ExportAssets"):
        ExportInventory(tmp_path / "nope")


def test_folder_without_files(tmp_path: Path) -> None:
    (tmp_path / "cai" / "storage.googleapis.com").mkdir(parents=True)
    (tmp_path / "cai" / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "cai" / "README").write_text("nothing yet\n")
    with pytest.raises(InputError, match=r"cai: a folder with no export files"):
        ExportInventory(tmp_path / "cai")


def test_unreadable_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cai" / "secret").mkdir(parents=True)
    (tmp_path / "cai" / "0").write_bytes(ndjson(EXPORT))
    scandir = os.scandir

    def denied(path: Any) -> Any:
        if str(path).endswith("secret"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    with pytest.raises(InputError, match=r"secret: cannot read \(Permission denied\); expected"):
        ExportInventory(tmp_path / "cai")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, ndjson(EXPORT))

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    assert "cannot read (Permission denied)" in refusal(path)


def test_not_json(tmp_path: Path) -> None:
    path = write(tmp_path, ndjson(EXPORT[:1]) + b"hello world\n")
    message = refusal(path)
    assert message.startswith(
        f"{path}:2: not JSON (Expecting value at character 1; the record starts 'hello world')"
    )
    assert "expected ExportAssets newline-delimited JSON" in message


def test_a_broken_line_in_the_middle_is_bad_input_not_truncation(tmp_path: Path) -> None:
    path = write(tmp_path, b'{"name": "//x.googleapis.com/a", "asset_type"\n' + ndjson(EXPORT))
    assert refusal(path).startswith(f"{path}:1: not JSON (Expecting ':' delimiter")


def test_pretty_printed_document(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps(BUCKET_RESOURCE, indent=2) + "\n")
    message = refusal(path)
    assert message.startswith(f"{path}:1: a JSON document spread over several lines")
    assert "--plan/--state" in message


@pytest.mark.parametrize(
    "document",
    [
        {"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": []},
        {"format_version": "1.0", "values": {"root_module": {}}},
    ],
    ids=["plan", "state"],
)
def test_terraform_plan_or_state_instead_of_an_export(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    path = write(tmp_path, json.dumps(document) + "\n", "plan.json")
    assert refusal(path) == (
        f"{path}: this is a Terraform plan/state, not an inventory export; "
        "pass it with --plan/--state, and the export with --inventory"
    )


def test_record_that_is_not_an_asset_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, ndjson(EXPORT) + b"\n" + json.dumps({"name": "bucket"}).encode() + b"\n")
    assert refusal(path) == (
        f'{path}:5: no full resource name (expected "name": "//SERVICE.googleapis.com/...")'
    )


def test_array_element_that_is_not_an_asset_names_its_index(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps([camel(EXPORT[0]), 42]))
    assert refusal(path) == f"{path}[1]: an inventory record must be a JSON object, not a number"


@pytest.mark.parametrize("chunk", [1, 1 << 16])
def test_array_with_bad_json_inside_an_element(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(export_module, "CHUNK_SIZE", chunk)
    element = json.dumps(camel(TOPIC_RESOURCE))
    path = write(tmp_path, f'[{element},\n {{"name": "//x.googleapis.com/a", "assetType": nope}}]')
    assert refusal(path).startswith(f"{path}[1]: not JSON (Expecting value at character 47")


def test_array_without_comma_between_elements(tmp_path: Path) -> None:
    element = json.dumps(camel(TOPIC_RESOURCE))
    path = write(tmp_path, f"[{element} {element}]")
    assert refusal(path) == f"{path}[0]: expected ',' or ']' after the element, not '{{'"


def test_data_after_the_array(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps([camel(TOPIC_RESOURCE)]) + "\n[]\n")
    assert refusal(path).startswith(f"{path}: data after the closing ']' of the array")


def test_too_deep_and_too_many_digits(tmp_path: Path) -> None:
    deep = write(tmp_path, "[" * 100_000 + "\n", "deep.json")
    assert "nested too deeply" in refusal(deep)
    digits = write(tmp_path, '{"name": ' + "1" * 5000 + "}\n", "digits.json")
    assert "too many digits" in refusal(digits)


def test_not_utf8_and_corrupt_gzip(tmp_path: Path) -> None:
    latin = write(tmp_path, '{"name": "caf\xe9"}\n'.encode("latin-1"), "latin.json")
    assert "not UTF-8 text" in refusal(latin)
    corrupt = write(tmp_path, b"\x1f\x8b" + b"\x00" * 20, "corrupt.gz")
    assert "a corrupt gzip file" in refusal(corrupt)


# --------------------------------------------------------------------------- incomplete exports

TRUNCATED = (
    "truncated: the file ends in the middle of a record, and a partial export is never judged"
)


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf8", "escaped"])
def test_truncated_last_line_at_every_cut(tmp_path: Path, ascii_only: bool) -> None:
    """A cut at a line end leaves a shorter valid file, which NDJSON cannot tell; any cut
    inside the last record is incomplete."""
    head = ndjson(EXPORT[:2])
    last = json.dumps({**BUCKET_RESOURCE, "name": f"{BUCKET}-😀"}, ensure_ascii=ascii_only)
    for cut in range(1, len(last) - 1):
        path = write(tmp_path, head + last[:cut].encode())
        assert refusal(path, InventoryIncomplete, 3) == f"{path}:3: {TRUNCATED}", cut


def test_invalid_last_line_without_newline_is_bad_input(tmp_path: Path) -> None:
    path = write(tmp_path, ndjson(EXPORT) + b'{"name": nope}')
    assert refusal(path).startswith(f"{path}:4: not JSON (Expecting value at character 10")


def test_truncated_gzip(tmp_path: Path) -> None:
    compressed = gzip.compress(ndjson(EXPORT * 20))
    path = write(tmp_path, compressed[: len(compressed) // 2])
    assert refusal(path, InventoryIncomplete, 3) == f"{path}: {TRUNCATED}"


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf8", "escaped"])
@pytest.mark.parametrize("chunk", [1, 5, 1 << 16])
def test_truncated_array_at_every_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, ascii_only: bool
) -> None:
    """Cut anywhere, an array is incomplete, never bad input and never silently short."""
    monkeypatch.setattr(export_module, "CHUNK_SIZE", chunk)
    odd = {**TOPIC_RESOURCE, "resource": {"data": {"s": "😀", "n": [-1.5e-3, True, None]}}}
    text = json.dumps([camel(r) for r in [*EXPORT, odd]], ensure_ascii=ascii_only)
    for cut in range(1, len(text) - 1, 1 if chunk == 1 << 16 else 37):
        path = write(tmp_path, text[:cut])
        message = refusal(path, InventoryIncomplete, 3)
        assert message.endswith(TRUNCATED), (cut, message)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"[]", b"[\n]\n"], ids=repr)
def test_empty_export(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    assert refusal(path, InventoryIncomplete, 3) == (
        f"{path}: no assets: an empty export cannot show the project is in sync"
    )


def test_folder_of_empty_shards(tmp_path: Path) -> None:
    (tmp_path / "cai" / "storage.googleapis.com" / "Bucket").mkdir(parents=True)
    (tmp_path / "cai" / "storage.googleapis.com" / "Bucket" / "0").write_bytes(b"")
    assert "no assets" in refusal(tmp_path / "cai", InventoryIncomplete, 3)
