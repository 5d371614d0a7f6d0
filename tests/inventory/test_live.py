"""LiveInventory with the real client over real gRPC, against the loopback fake AssetService.

Every fault test runs on tiny retry, timeout and backoff knobs: a regression to the client's
own 60 s budget would show as a slow test and a failed elapsed-time assertion.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.api_core import exceptions as api_exceptions
from google.cloud import asset_v1
from google.cloud.asset_v1.services.asset_service.transports import AssetServiceGrpcTransport
from google.protobuf import json_format

from plangate.errors import InputError
from plangate.inventory import ContentType, InventoryIncomplete, InventoryUnreachable
from plangate.inventory.decode import asset_from_dict
from plangate.inventory.live import EMULATOR_HOST_ENV, LiveInventory, asset_record
from tests.inventory.fake_asset_service import FakeAssetService, emulated

ROOT = Path(__file__).resolve().parents[2]
NUMBER = "318576589455"
SCOPE = "projects/mlops-demo"
HERE = [f"projects/{NUMBER}", "folders/77", "organizations/9"]
ELSEWHERE = ["projects/999", "organizations/9"]


def bucket(i: int, ancestors: list[str] = HERE) -> dict[str, Any]:
    return {
        "name": f"//storage.googleapis.com/bucket-{i}",
        "asset_type": "storage.googleapis.com/Bucket",
        "ancestors": ancestors,
        "update_time": "2024-05-01T10:00:00Z",
        "resource": {
            "version": "v1",
            "discovery_name": "Bucket",
            "parent": f"//cloudresourcemanager.googleapis.com/{ancestors[0]}",
            "location": "us-central1",
            "data": {
                "name": f"bucket-{i}",
                "location": "US-CENTRAL1",
                "projectNumber": 318576589455,
                "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": i % 2 == 0}},
                "labels": {"goog-terraform-provisioned": "true"},
                "lifecycle": {"rule": [{"action": {"type": "Delete"}, "condition": {"age": 30}}]},
                "retentionPolicy": None,
            },
        },
    }


def bucket_policy(i: int) -> dict[str, Any]:
    return {
        "name": f"//storage.googleapis.com/bucket-{i}",
        "asset_type": "storage.googleapis.com/Bucket",
        "ancestors": HERE,
        "update_time": "2024-05-01T10:00:00Z",
        "iam_policy": {
            "version": 3,
            "bindings": [
                {"role": "roles/storage.objectViewer", "members": [f"user:u{i}@example.com"]},
                {
                    "role": "roles/storage.admin",
                    "members": ["group:ops@example.com"],
                    "condition": {"title": "t", "expression": "request.time < timestamp('2030')"},
                },
            ],
        },
    }


def topic(i: int) -> dict[str, Any]:
    return {
        "name": f"//pubsub.googleapis.com/projects/mlops-demo/topics/drift-{i}",
        "asset_type": "pubsub.googleapis.com/Topic",
        "ancestors": HERE,
        "resource": {"version": "v1", "parent": "", "data": {"name": f"drift-{i}"}},
    }


PROJECT = {
    "name": f"//cloudresourcemanager.googleapis.com/projects/{NUMBER}",
    "asset_type": "cloudresourcemanager.googleapis.com/Project",
    "ancestors": HERE,
    "resource": {
        "parent": "//cloudresourcemanager.googleapis.com/folders/77",
        "data": {"projectId": "mlops-demo", "projectNumber": NUMBER, "lifecycleState": "ACTIVE"},
    },
}
RECORDS = [
    *(bucket(i) for i in range(12)),
    *(topic(i) for i in range(5)),
    bucket(100, ELSEWHERE),
    PROJECT,
    *(bucket_policy(i) for i in range(0, 12, 3)),
]
RESOURCES = [r["name"] for r in RECORDS if "resource" in r and r["ancestors"] == HERE]
POLICIES = [r["name"] for r in RECORDS if "iam_policy" in r]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAssetService]:
    with emulated(FakeAssetService(RECORDS), monkeypatch) as f:
        yield f


def inventory(scope: str = SCOPE, **knobs: Any) -> LiveInventory:
    """Small pages and tiny retry knobs: a fault ends a test in well under a second."""
    settings: dict[str, Any] = {
        "page_size": 5,
        "timeout": 1.0,
        "retry_deadline": 1.0,
        "retry_initial": 0.01,
        "retry_maximum": 0.05,
        "calls_per_minute": 600_000,
        "quota_backoff": 0.01,
        "progress": False,
    }
    return LiveInventory(scope, **{**settings, **knobs})


def read(live: LiveInventory) -> list[str]:
    return [asset.name for asset in live.records()]


def resource_pages(fake: FakeAssetService) -> list[int]:
    return [call.page for call in fake.calls if call.content_type == 1]


def test_pages_give_every_record_once_in_order(fake: FakeAssetService) -> None:
    live = inventory()
    assert live.source.read_time is None
    assets = list(live.records())
    assert [a.name for a in assets] == RESOURCES + POLICIES
    assert [a.content_type for a in assets] == [ContentType.RESOURCE] * 18 + [
        ContentType.IAM_POLICY
    ] * 4
    assert [(c.content_type, c.page, c.page_size) for c in fake.calls] == [
        *((1, page, 5) for page in range(1, 5)),
        (2, 1, 5),
    ]
    assert live.source.read_time == fake.read_time.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert live.source.scope == SCOPE
    assert live.source.kind == "live"


@pytest.mark.parametrize(
    ("scope", "count"),
    [(SCOPE, 18), (f"projects/{NUMBER}", 18), ("folders/77", 18), ("organizations/9", 19)],
)
def test_scope_by_project_id_or_number_folder_and_organization(
    fake: FakeAssetService, scope: str, count: int
) -> None:
    live = inventory(scope, content_types=[ContentType.RESOURCE], page_size=1000)
    assert len(read(live)) == count
    assert fake.calls[0].parent == scope


@pytest.mark.parametrize(("projects", "count"), [({"mlops-demo": NUMBER}, 2), ({}, 0)])
def test_fake_maps_a_project_id_through_the_projects_it_is_given(
    monkeypatch: pytest.MonkeyPatch, projects: dict[str, str], count: int
) -> None:
    with emulated(FakeAssetService([bucket(1), bucket(2)], projects=projects), monkeypatch):
        assert len(read(inventory())) == count


def test_asset_type_filter_and_content_projection(fake: FakeAssetService) -> None:
    assets = list(inventory(asset_types=["storage.googleapis.com.*"]).records())
    resources = [a for a in assets if a.content_type is ContentType.RESOURCE]
    policies = [a for a in assets if a.content_type is ContentType.IAM_POLICY]
    assert [a.name for a in resources] == [n for n in RESOURCES if "storage" in n]
    assert all(a.data is not None and a.bindings is None for a in resources)
    assert resources[0].data is not None and resources[0].data["projectNumber"] == 318576589455
    assert resources[0].location == "us-central1"
    assert [a.name for a in policies] == POLICIES
    assert all(a.data is None and a.location is None for a in policies)
    assert policies[0].bindings is not None
    assert policies[0].bindings[1].condition == "request.time < timestamp('2030')"


def test_unsupported_asset_type_is_unreachable_with_the_server_message(
    fake: FakeAssetService,
) -> None:
    with pytest.raises(InventoryUnreachable) as caught:
        read(inventory(asset_types=["billingbudgets.googleapis.com/Budget"]))
    message = str(caught.value)
    assert (
        "INVALID_ARGUMENT Unsupported asset type: billingbudgets.googleapis.com/Budget" in message
    )
    assert len(fake.calls) == 1


@pytest.mark.parametrize(
    ("content", "permission"),
    [
        (ContentType.RESOURCE, "cloudasset.assets.listResource"),
        (ContentType.IAM_POLICY, "cloudasset.assets.listIamPolicy"),
    ],
)
def test_permission_denied_names_the_permission_and_role(
    fake: FakeAssetService, content: ContentType, permission: str
) -> None:
    fake.fail(grpc.StatusCode.PERMISSION_DENIED, times=None)
    with pytest.raises(InventoryUnreachable) as caught:
        read(inventory(content_types=[content]))
    message = str(caught.value)
    assert "\n" not in message
    for part in (SCOPE, str(content), "PERMISSION_DENIED", permission, "roles/cloudasset.viewer"):
        assert part in message
    assert caught.value.exit_code == 3
    cause = caught.value.__cause__
    assert isinstance(cause, api_exceptions.PermissionDenied)
    assert cause.reason == "IAM_PERMISSION_DENIED"
    assert len(fake.calls) == 1  # never retried


def test_quota_refusals_are_retried_from_the_same_page(fake: FakeAssetService) -> None:
    fake.fail_from_page(2, grpc.StatusCode.RESOURCE_EXHAUSTED, times=2)
    started = time.monotonic()
    names = read(inventory(quota_backoff=0.05, retry_maximum=1.0))
    elapsed = time.monotonic() - started
    assert names == RESOURCES + POLICIES
    assert resource_pages(fake) == [1, 2, 2, 2, 3, 4]
    page_two = [c.page_token for c in fake.calls if c.page == 2 and c.content_type == 1]
    assert len(set(page_two)) == 1 and page_two[0]
    assert 0.05 + 0.1 <= elapsed < 2.0  # our backoff: 0.05 s, then 0.1 s


def test_quota_exhausted_for_good_is_unreachable_after_the_attempts(
    fake: FakeAssetService,
) -> None:
    fake.fail(grpc.StatusCode.RESOURCE_EXHAUSTED, times=None)
    started = time.monotonic()
    with pytest.raises(InventoryUnreachable) as caught:
        read(inventory(quota_attempts=3))
    assert time.monotonic() - started < 1.0
    assert len(fake.calls) == 3
    message = str(caught.value)
    assert "quota exhausted" in message and SCOPE in message and "RESOURCE_EXHAUSTED" in message


def test_quota_backoff_stops_at_the_retry_deadline(fake: FakeAssetService) -> None:
    fake.fail(grpc.StatusCode.RESOURCE_EXHAUSTED, times=None)
    started = time.monotonic()
    with pytest.raises(InventoryUnreachable, match="quota exhausted"):
        read(inventory(quota_attempts=99, quota_backoff=0.05, retry_maximum=1, retry_deadline=0.3))
    assert time.monotonic() - started < 0.6
    assert len(fake.calls) == 3  # waits 0.05 and 0.1; 0.2 more would cross 0.3


@pytest.mark.parametrize("code", [grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED])
def test_transient_errors_are_retried_by_the_client(
    fake: FakeAssetService, code: grpc.StatusCode
) -> None:
    fake.fail_from_page(3, code, times=2)
    assert read(inventory()) == RESOURCES + POLICIES
    assert resource_pages(fake) == [1, 2, 3, 3, 3, 4]


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        (grpc.StatusCode.INTERNAL, "INTERNAL injected INTERNAL"),
        (grpc.StatusCode.PERMISSION_DENIED, "cloudasset.assets.listResource"),
        (grpc.StatusCode.UNAVAILABLE, "UNAVAILABLE injected UNAVAILABLE (retried until: Timeout"),
    ],
)
def test_failure_on_page_three_is_incomplete_and_raised_out_of_records(
    fake: FakeAssetService, code: grpc.StatusCode, shown: str
) -> None:
    fake.fail_from_page(3, code)
    seen: list[str] = []
    started = time.monotonic()
    with pytest.raises(InventoryIncomplete) as caught:
        for asset in inventory(retry_deadline=0.3).records():
            seen.append(asset.name)
    assert time.monotonic() - started < 1.5
    assert seen == RESOURCES[:10]  # pages 1 and 2 were streamed; the listing still failed
    message = str(caught.value)
    assert "\n" not in message
    assert f"ListAssets {SCOPE} RESOURCE failed on page 3 after 10 assets: " in message
    assert shown in message
    assert caught.value.exit_code == 3


def test_failure_in_the_second_content_type_is_incomplete(fake: FakeAssetService) -> None:
    seen: list[str] = []
    with pytest.raises(InventoryIncomplete, match="IAM_POLICY failed on page 1 after 18 assets"):
        for asset in inventory().records():
            seen.append(asset.name)
            if len(seen) == len(RESOURCES):
                fake.fail(grpc.StatusCode.INTERNAL)
    assert seen == RESOURCES


def test_slow_service_times_out_quickly(fake: FakeAssetService) -> None:
    fake.delay(5.0)
    started = time.monotonic()
    with pytest.raises(InventoryUnreachable) as caught:
        read(inventory(timeout=0.1, retry_deadline=0.3))
    assert time.monotonic() - started < 1.0
    assert "DEADLINE_EXCEEDED" in str(caught.value)
    assert 2 <= len(fake.calls) <= 4  # 0.1 s attempts until the 0.3 s retry deadline


def assert_windowed(arrivals: list[float], limit: int, window: float) -> None:
    """No `limit + 1` calls arrive within one window (allowing for scheduling jitter)."""
    jitter = window / 4
    spans = [b - a for a, b in zip(arrivals, arrivals[limit:], strict=False)]
    assert spans and min(spans) >= window - jitter, spans


def test_pacing_lets_a_short_burst_through_then_holds_to_the_window(
    fake: FakeAssetService,
) -> None:
    started = time.monotonic()
    read(inventory(calls_per_minute=2, pacing_window=0.2))  # 5 pages: 2, then 1 per 0.1 s
    elapsed = time.monotonic() - started
    arrivals = [call.at for call in fake.calls]
    assert len(arrivals) == 5
    assert arrivals[1] - arrivals[0] < 0.1  # the first two are not spaced
    assert_windowed(arrivals, 2, 0.2)
    assert elapsed >= 0.4 - 0.05


def test_a_listing_within_the_quota_is_not_slowed(fake: FakeAssetService) -> None:
    started = time.monotonic()
    read(inventory(calls_per_minute=90, pacing_window=60))  # 5 calls, far below 90
    assert len(fake.calls) == 5
    assert time.monotonic() - started < 1.5  # spacing every call would take 2.7 s


def test_pacing_covers_attempts_retried_by_the_client(fake: FakeAssetService) -> None:
    fake.fail(grpc.StatusCode.UNAVAILABLE, times=2)
    read(inventory(calls_per_minute=2, pacing_window=0.2, content_types=[ContentType.RESOURCE]))
    arrivals = [call.at for call in fake.calls]
    assert len(arrivals) == 6
    assert_windowed(arrivals, 2, 0.2)


def test_progress_line_on_stderr_only_when_asked(
    fake: FakeAssetService, capsys: pytest.CaptureFixture[str]
) -> None:
    read(inventory(progress=True))
    err = capsys.readouterr().err
    assert err.startswith("\r") and err.endswith("\n") and err.count("\n") == 1
    last = err.rstrip("\n").rsplit("\r", 1)[1]
    assert (
        last
        == f"Cloud Asset Inventory {SCOPE}: RESOURCE 18 assets in 4 pages; IAM_POLICY 4 assets in 1 page"
    )
    read(inventory(progress=None))  # stderr is not a terminal under capsys
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "scope", ["project/x", "projects/", "projects/a/b", "billingAccounts/1", "", "projects/a b"]
)
def test_bad_scope_is_an_input_error(scope: str) -> None:
    with pytest.raises(InputError, match="is not projects/ID, folders/ID or organizations/ID") as e:
        LiveInventory(scope)
    assert e.value.exit_code == 2


def test_missing_credentials_file_is_unreachable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(EMULATOR_HOST_ENV, raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    with pytest.raises(InventoryUnreachable) as caught:
        read(inventory())
    message = str(caught.value)
    assert "\n" not in message
    assert "gcloud auth application-default login" in message and EMULATOR_HOST_ENV in message


def test_no_credentials_at_all_is_unreachable_without_probing_the_network(
    tmp_path: Path,
) -> None:
    """In a clean process: google-auth reads NO_GCE_CHECK (lower-case "true") at import time."""
    drop = ("GOOGLE_APPLICATION_CREDENTIALS", EMULATOR_HOST_ENV, "CLOUDSDK_CONFIG", "HOME")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env |= {
        "HOME": str(tmp_path),
        "CLOUDSDK_CONFIG": str(tmp_path / "gcloud"),
        "NO_GCE_CHECK": "true",
        "GCE_METADATA_HOST": "127.0.0.1:9",
        "GCE_METADATA_IP": "127.0.0.1:9",
    }
    script = (
        "from plangate.inventory.live import LiveInventory\n"
        "from plangate.errors import PlanGateError\n"
        "try:\n"
        "    list(LiveInventory('projects/p').records())\n"
        "except PlanGateError as exc:\n"
        "    print(type(exc).__name__, exc.exit_code, exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("InventoryUnreachable 3 no Google Cloud credentials")
    assert done.stdout.count("\n") == 1


def use_external_account_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, token_port: int
) -> None:
    """Default credentials that exchange a token at a loopback port, and no emulator."""
    (tmp_path / "subject").write_text("token")
    (tmp_path / "adc.json").write_text(
        json.dumps(
            {
                "type": "external_account",
                "audience": "//iam.googleapis.com/projects/1/locations/global/"
                "workloadIdentityPools/p/providers/x",
                "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
                "token_url": f"http://127.0.0.1:{token_port}/v1/token",
                "credential_source": {"file": str(tmp_path / "subject")},
            }
        )
    )
    monkeypatch.delenv(EMULATOR_HOST_ENV, raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "adc.json"))
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")  # no project lookup, so no refresh in default()


def test_credentials_that_cannot_refresh_fail_before_any_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A refresh failing inside a call is UNAVAILABLE, retried to the deadline; not here."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    use_external_account_credentials(monkeypatch, tmp_path, port)
    started = time.monotonic()
    with pytest.raises(InventoryUnreachable, match="Google Cloud credentials failed") as caught:
        read(LiveInventory(SCOPE, progress=False))  # default 120 s retry deadline
    assert time.monotonic() - started < 5.0
    assert "\n" not in str(caught.value)


def test_bad_emulator_address_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EMULATOR_HOST_ENV, "localhost")
    with pytest.raises(InputError, match="is not HOST:PORT"):
        read(inventory())


def test_asset_record_decodes_like_message_to_dict() -> None:
    edge = {
        "name": "//run.googleapis.com/projects/p/locations/l/services/s",
        "asset_type": "run.googleapis.com/Service",
        "resource": {"data": {"a": [1, "x", None, True, {"b": []}], "c": {}, "d": 2.5, "e": False}},
    }
    no_data = {"name": "//x.googleapis.com/y", "asset_type": "x.googleapis.com/Y", "resource": {}}
    for raw in [*RECORDS, edge, no_data]:
        message = json_format.ParseDict(raw, asset_v1.Asset.pb()())
        expected = json_format.MessageToDict(message, preserving_proto_field_name=True)
        assert asset_from_dict(asset_record(message), "t") == asset_from_dict(expected, "t")


def test_fake_binds_page_tokens_and_projects_unspecified_content(fake: FakeAssetService) -> None:
    channel = grpc.insecure_channel(os.environ[EMULATOR_HOST_ENV])
    client = asset_v1.AssetServiceClient(transport=AssetServiceGrpcTransport(channel=channel))
    with client:
        first = client.list_assets(request={"parent": SCOPE, "page_size": 2}, retry=None, timeout=1)
        assert [a.name for a in first.assets] == RESOURCES[:2]
        assert all(not a.resource.data and not a.update_time for a in first.assets)
        with pytest.raises(api_exceptions.InvalidArgument, match="page_token does not match"):
            client.list_assets(
                request={
                    "parent": SCOPE,
                    "page_size": 2,
                    "content_type": asset_v1.ContentType.RESOURCE,
                    "page_token": first.next_page_token,
                },
                retry=None,
                timeout=1,
            )


def test_fake_serves_an_export_file_from_a_separate_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    export = tmp_path / "assets.ndjson"
    export.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    command = [sys.executable, "-m", "tests.inventory.fake_asset_service", "--export", str(export)]
    command += ["--port", "0"]  # the Project record maps mlops-demo to its number
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())
            monkeypatch.setenv(EMULATOR_HOST_ENV, f"127.0.0.1:{port}")
            assert read(inventory(page_size=1000)) == RESOURCES + POLICIES
        finally:
            server.terminate()


def test_folder_scope_reads_one_stream_per_asset_type_and_content(fake: FakeAssetService) -> None:
    types = ["storage.googleapis.com/Bucket", "iam.googleapis.com/ServiceAccount"]
    read(inventory("folders/77", asset_types=types, page_size=1000))
    streams = [(call.content_type, call.asset_types) for call in fake.calls]
    assert streams == [
        (1, ("storage.googleapis.com/Bucket",)),
        (1, ("iam.googleapis.com/ServiceAccount",)),
        (2, ("storage.googleapis.com/Bucket",)),
        (2, ("iam.googleapis.com/ServiceAccount",)),
    ]


def test_project_scope_reads_all_types_in_one_stream_per_content(fake: FakeAssetService) -> None:
    types = ["storage.googleapis.com/Bucket", "iam.googleapis.com/ServiceAccount"]
    read(inventory(asset_types=types, page_size=1000))
    assert [(call.content_type, call.asset_types) for call in fake.calls] == [
        (1, tuple(types)),
        (2, tuple(types)),
    ]


def test_a_failure_in_one_type_stream_names_the_type(fake: FakeAssetService) -> None:
    types = ["storage.googleapis.com/Bucket", "iam.googleapis.com/ServiceAccount"]
    fake.fail(grpc.StatusCode.PERMISSION_DENIED, times=1)
    with pytest.raises(InventoryUnreachable, match=r"folders/77 RESOURCE storage\.googleapis"):
        read(inventory("folders/77", asset_types=types))
