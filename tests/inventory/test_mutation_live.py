"""Behaviour of the live inventory reader and its plan view that the mutation run found unpinned.

The live reader runs the real client over real gRPC against the loopback fake AssetService, in
this process (a CLI subprocess would run the installed code, not the code under test). These
tests pin the exact words of its refusals and failures, the knobs it accepts, its pacing and
backoff arithmetic, the snapshot time it reports, the message size it can receive and the
scope its credentials ask for; and the zero-change plan that hands live resources to the
catalogue policies, field by field, with its provenance.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import google.api_core.retry.retry_base as retry_base
import google.api_core.retry.retry_unary as retry_unary
import grpc
import pytest

from plangate.errors import InputError
from plangate.inventory import ContentType, InventoryIncomplete, InventoryUnreachable
from plangate.inventory.live import LiveInventory
from plangate.inventory.live_view import live_plan
from plangate.inventory.mapping import mapping_table
from plangate.inventory.model import InventorySource
from plangate.inventory.reconcile import Grant, LiveResource, Reconciliation
from plangate.plan import PlanSource
from tests.inventory.fake_asset_service import _RESPONSE, FakeAssetService, _token, emulated
from tests.inventory.test_live import (
    NUMBER,
    POLICIES,
    RECORDS,
    RESOURCES,
    SCOPE,
    bucket,
    inventory,
    read,
    use_external_account_credentials,
)

FIRST_READ = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAssetService]:
    with emulated(FakeAssetService(RECORDS, read_time=FIRST_READ), monkeypatch) as fake:
        yield fake


def failure(live: LiveInventory) -> str:
    with pytest.raises((InventoryUnreachable, InventoryIncomplete)) as caught:
        read(live)
    return str(caught.value)


# --- LiveInventory: what it accepts, in what words it refuses -------------------------------


def test_one_string_of_asset_types_is_refused_in_words() -> None:
    with pytest.raises(InputError) as caught:
        LiveInventory(SCOPE, asset_types="storage.googleapis.com/Bucket")
    assert str(caught.value) == ("inventory asset types must be a list of patterns, not one string")


def test_asset_and_content_types_given_as_lists_are_kept_as_tuples() -> None:
    """A frozen inventory must not share a list its caller can still change."""
    live = LiveInventory(
        SCOPE, asset_types=["storage.googleapis.com/Bucket"], content_types=["IAM_POLICY"]
    )
    assert live.asset_types == ("storage.googleapis.com/Bucket",)
    assert live.content_types == (ContentType.IAM_POLICY,)
    assert type(live.content_types[0]) is ContentType


def test_no_content_type_is_refused_in_words() -> None:
    with pytest.raises(InputError) as caught:
        LiveInventory(SCOPE, content_types=[])
    assert str(caught.value) == "inventory content types: name RESOURCE, IAM_POLICY or both"


@pytest.mark.parametrize("size", [1, 1000])
def test_page_sizes_from_one_to_a_thousand_are_accepted(size: int) -> None:
    assert LiveInventory(SCOPE, page_size=size).page_size == size


@pytest.mark.parametrize("size", [0, 1001])
def test_a_page_size_outside_one_to_a_thousand_is_refused_naming_it(size: int) -> None:
    with pytest.raises(InputError) as caught:
        LiveInventory(SCOPE, page_size=size)
    assert str(caught.value) == f"inventory page size {size} is not between 1 and 1000"


@pytest.mark.parametrize(
    "knob",
    [
        "timeout",
        "retry_deadline",
        "retry_initial",
        "retry_maximum",
        "calls_per_minute",
        "pacing_window",
        "quota_backoff",
    ],
)
def test_a_zero_time_or_rate_is_refused_naming_the_knob_and_value(knob: str) -> None:
    with pytest.raises(InputError) as caught:
        LiveInventory(SCOPE, **{knob: 0})
    assert str(caught.value) == f"inventory {knob} must be positive, not 0"


def test_one_quota_attempt_is_accepted_and_none_is_refused_in_words() -> None:
    assert LiveInventory(SCOPE, quota_attempts=1).quota_attempts == 1
    with pytest.raises(InputError) as caught:
        LiveInventory(SCOPE, quota_attempts=0)
    assert str(caught.value) == "inventory quota_attempts must be at least 1, not 0"


# --- reading: pacing, backoff, snapshot time, progress -------------------------------------


def test_one_call_a_window_spaces_every_call_by_the_window(served: FakeAssetService) -> None:
    """A rate under one call a window still lets one call through, never two at once."""
    read(inventory(calls_per_minute=1, pacing_window=0.15, content_types=["RESOURCE"]))
    arrivals = [call.at for call in served.calls]
    assert len(arrivals) == 4
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= 0.15 - 0.03, gaps


def test_transient_errors_back_off_from_the_initial_delay_doubling_to_the_maximum(
    served: FakeAssetService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client's jitter is pinned to its upper bound, so the delays are the backoff's own."""
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 6))
        time.sleep(seconds)

    monkeypatch.setattr(retry_base, "random", SimpleNamespace(uniform=lambda low, high: high))
    monkeypatch.setattr(retry_unary, "time", SimpleNamespace(monotonic=time.monotonic, sleep=sleep))
    served.fail(grpc.StatusCode.UNAVAILABLE, times=4)
    live = inventory(
        retry_initial=0.01, retry_maximum=0.05, retry_deadline=5.0, content_types=["RESOURCE"]
    )
    assert read(live) == RESOURCES
    assert sleeps == [0.01, 0.02, 0.04, 0.05]


def test_a_quota_backoff_as_long_as_the_retry_deadline_is_still_waited(
    served: FakeAssetService,
) -> None:
    """The deadline refuses a wait that would end after it, not one that ends on it."""
    served.fail(grpc.StatusCode.RESOURCE_EXHAUSTED, times=1)
    assert read(inventory(quota_backoff=0.2, retry_deadline=0.2)) == RESOURCES + POLICIES
    assert len(served.calls) == 6  # the refused call, then 4 + 1 pages


def test_quota_backoff_doubles_between_attempts(served: FakeAssetService) -> None:
    """Waits of 0.05, 0.1 and 0.2 s fit a 0.5 s deadline; the next (0.4 s) would not."""
    served.fail(grpc.StatusCode.RESOURCE_EXHAUSTED, times=None)
    live = inventory(quota_attempts=99, quota_backoff=0.05, retry_maximum=1, retry_deadline=0.5)
    with pytest.raises(InventoryUnreachable, match="quota exhausted"):
        read(live)
    assert len(served.calls) == 4


def test_the_read_time_is_the_snapshot_time_of_the_first_page(served: FakeAssetService) -> None:
    later = _RESPONSE(read_time=FIRST_READ + datetime.timedelta(hours=1)).read_time
    live = inventory()
    seen = []
    for asset in live.records():
        seen.append(asset.name)
        if len(seen) == len(RESOURCES):
            served._read_time = later  # the IAM_POLICY listing is a later snapshot
    assert seen == RESOURCES + POLICIES
    assert live.source.read_time == "2024-05-01T12:00:00Z"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_by_default_when_stderr_is_a_terminal(
    served: FakeAssetService, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    read(inventory(progress=None))
    shown = terminal.getvalue()
    assert shown.endswith("\n")
    assert shown.rstrip("\n").rsplit("\r", 1)[1] == (
        f"Cloud Asset Inventory {SCOPE}: RESOURCE 18 assets in 4 pages; "
        "IAM_POLICY 4 assets in 1 page"
    )


def test_a_record_without_a_full_name_is_refused_naming_its_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = {**bucket(99), "name": "bucket-99"}
    fake = FakeAssetService([*RECORDS[:5], broken], projects={"mlops-demo": NUMBER})
    with emulated(fake, monkeypatch), pytest.raises(InputError) as caught:
        read(inventory(content_types=["RESOURCE"]))
    assert str(caught.value) == (
        f"{SCOPE} RESOURCE page 2: no full resource name "
        '(expected "name": "//SERVICE.googleapis.com/...")'
    )


def test_a_page_larger_than_grpcs_default_four_megabytes_is_received(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = bucket(7)
    big["resource"]["data"]["description"] = "x" * (5 * 1024 * 1024)
    with emulated(FakeAssetService([big], projects={"mlops-demo": NUMBER}), monkeypatch):
        (asset,) = inventory(content_types=["RESOURCE"]).records()
    assert asset.data is not None
    assert len(asset.data["description"]) == 5 * 1024 * 1024


# --- how failures read ---------------------------------------------------------------------


def test_permission_denied_reads_as_the_error_then_the_permission_and_role(
    served: FakeAssetService,
) -> None:
    served.fail(grpc.StatusCode.PERMISSION_DENIED, times=None)
    assert failure(inventory(content_types=["RESOURCE"])) == (
        f"Cloud Asset Inventory ListAssets {SCOPE} RESOURCE: PERMISSION_DENIED The caller "
        "does not have permission cloudasset.assets.listResource; reading RESOURCE needs "
        f"cloudasset.assets.listResource on {SCOPE} (role roles/cloudasset.viewer)"
    )


@pytest.mark.parametrize("scope", [SCOPE, "folders/77"])
def test_a_failure_with_one_asset_type_does_not_repeat_the_type(
    served: FakeAssetService, scope: str
) -> None:
    """Only a listing split per type names the type it hit."""
    served.fail(grpc.StatusCode.INTERNAL)
    live = inventory(scope, asset_types=["storage.googleapis.com/Bucket"])
    assert failure(live) == (
        f"Cloud Asset Inventory ListAssets {scope} RESOURCE: INTERNAL injected INTERNAL"
    )


class _EmptyFirstPage(FakeAssetService):
    """Serves page 1 with no assets but a next page token, as the real service may."""

    def _page(self, request: Any, key: str, page: int, offset: int) -> bytes:
        if page == 1:
            head = _RESPONSE(read_time=self._read_time, next_page_token=_token(key, 2, 0))
            return head.SerializeToString()
        return super()._page(request, key, page, offset)


def test_a_failure_after_an_empty_first_page_is_incomplete(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with emulated(_EmptyFirstPage(RECORDS), monkeypatch) as fake:
        fake.fail_from_page(2, grpc.StatusCode.INTERNAL)
        with pytest.raises(InventoryIncomplete) as caught:
            read(inventory())
    assert str(caught.value) == (
        f"Cloud Asset Inventory ListAssets {SCOPE} RESOURCE failed on page 2 after 0 assets: "
        "INTERNAL injected INTERNAL"
    )


class _SilentFailure(FakeAssetService):
    """Fails every call with a status that carries no message."""

    def list_assets(self, request: Any, context: grpc.ServicerContext) -> bytes:
        context.abort(grpc.StatusCode.INTERNAL, "")
        raise AssertionError("abort raises")


def test_an_error_without_a_message_reads_as_its_code_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with emulated(_SilentFailure(RECORDS), monkeypatch):
        message = failure(inventory())
    assert message == f"Cloud Asset Inventory ListAssets {SCOPE} RESOURCE: INTERNAL"


def test_credentials_ask_for_the_cloud_platform_scope_and_a_refusal_is_quoted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The token exchange is served locally and refused, so no call is ever made."""
    requests: list[dict[str, list[str]]] = []

    class TokenService(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            requests.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
            body = json.dumps({"error": "invalid_grant", "error_description": "token refused"})
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), TokenService)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    use_external_account_credentials(monkeypatch, tmp_path, server.server_port)
    try:
        with pytest.raises(InventoryUnreachable) as caught:
            read(LiveInventory(SCOPE, progress=False))
    finally:
        server.shutdown()
        server.server_close()
    assert [r["scope"] for r in requests] == [["https://www.googleapis.com/auth/cloud-platform"]]
    message = str(caught.value)
    assert message.startswith("Google Cloud credentials failed (")
    assert "Error code invalid_grant: token refused" in message


# --- the live inventory as a plan ----------------------------------------------------------

BUCKET_NAME = "//storage.googleapis.com/logs-bucket"
TOPIC_NAME = "//pubsub.googleapis.com/projects/p/topics/t"
PROJECT_NAME = "//cloudresourcemanager.googleapis.com/projects/p"


def _reconciliation(*grants: Grant, resources: tuple[LiveResource, ...] = ()) -> Reconciliation:
    bucket_resource = LiveResource(
        address="module.data.google_storage_bucket.logs",
        terraform_type="google_storage_bucket",
        asset_name=BUCKET_NAME,
        values={"name": "logs-bucket", "location": "US"},
    )
    return Reconciliation(
        managed=(),
        missing=(),
        unmanaged=(),
        undeclared_grants=(),
        missing_grants=(),
        not_verifiable=(),
        live_resources=(bucket_resource, *resources),
        live_grants=grants,
        records_read=0,
        records_ignored=0,
    )


SOURCE = InventorySource(
    kind="export",
    description="Cloud Asset Inventory export b.json, a.json",
    files=(("b.json", "hash-b"), ("a.json", "hash-a")),
)


def test_live_resources_and_grants_become_format_1_2_no_op_changes() -> None:
    grant = Grant(BUCKET_NAME, "roles/storage.admin", "user:a@example.com")
    loaded = live_plan(_reconciliation(grant), mapping_table(), SOURCE, None)
    plan = loaded.plan
    assert plan.format_version == "1.2"
    resource, member = plan.resource_changes
    assert (resource.address, resource.mode, resource.type, resource.name) == (
        "module.data.google_storage_bucket.logs",
        "managed",
        "google_storage_bucket",
        "logs",
    )
    assert resource.provider_name == "live-inventory/google"
    assert resource.change.action_list == ("no-op",)
    assert (
        resource.change.before
        == resource.change.after
        == {
            "name": "logs-bucket",
            "location": "US",
        }
    )
    assert member.address == f"{BUCKET_NAME} roles/storage.admin user:a@example.com"
    assert member.type == "google_storage_bucket_iam_member"
    assert (
        member.change.before
        == member.change.after
        == {
            "role": "roles/storage.admin",
            "member": "user:a@example.com",
            "resource": BUCKET_NAME,
        }
    )
    assert plan.is_zero_change


def test_an_address_without_a_dot_is_its_own_name() -> None:
    plain = LiveResource("//storage/b", "google_storage_bucket", "//storage/b", {})
    plan = live_plan(_reconciliation(resources=(plain,)), mapping_table(), SOURCE, None).plan
    assert plan.resource_changes[1].name == "//storage/b"


def test_a_grant_on_an_asset_neither_listed_nor_a_project_is_left_out() -> None:
    """Only a project or a listed asset tells which `*_iam_member` type the grant would be."""
    elsewhere = Grant(TOPIC_NAME, "roles/pubsub.admin", "user:a@example.com")
    project = Grant(PROJECT_NAME, "roles/owner", "user:a@example.com", address="x.owner")
    plan = live_plan(_reconciliation(elsewhere, project), mapping_table(), SOURCE, None).plan
    assert [(c.address, c.type, c.name) for c in plan.resource_changes[1:]] == [
        ("x.owner", "google_project_iam_member", "owner")
    ]


@pytest.mark.parametrize(
    ("environment", "variables"), [("prod", {"environment": "prod"}), (None, {})]
)
def test_the_environment_is_the_plans_environment_variable(
    environment: str | None, variables: dict[str, str]
) -> None:
    plan = live_plan(_reconciliation(), mapping_table(), SOURCE, environment).plan
    assert dict(plan.variables) == variables


def test_the_plan_is_named_after_the_inventory_and_hashes_its_file_hashes() -> None:
    loaded = live_plan(_reconciliation(), mapping_table(), SOURCE, None)
    expected = hashlib.sha256(b"hash-a\nhash-b").hexdigest()
    assert loaded.source == PlanSource(
        name="inventory: Cloud Asset Inventory export b.json, a.json", sha256=expected, size=0
    )
    assert loaded.notes == ()
