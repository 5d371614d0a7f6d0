"""A loopback fake of `google.cloud.asset.v1.AssetService` (ListAssets only) for the real client.

Google ships no Cloud Asset Inventory emulator and the GAPIC package no servicer, so this
serves the real wire protocol with grpc's generic handler: the client, its retries, its error
mapping and its pager all run for real. Assets are given as ExportAssets records and encoded
once, per content type; a page is the concatenation of pre-encoded `assets` entries, so a
separate process can serve 100,000 assets faster than the client decodes them.

Faults are set on the fake by the test (`fail`, `fail_from_page`, `delay`), not by the client.

    python -m tests.inventory.fake_asset_service --export assets.ndjson --port 0
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import json
import re
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import grpc
from google.cloud import asset_v1
from google.protobuf import any_pb2, json_format
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from plangate.inventory.live import EMULATOR_HOST_ENV

if TYPE_CHECKING:
    import pytest

SERVICE = "google.cloud.asset.v1.AssetService"
SUPPORTED_TYPES = (
    "artifactregistry.googleapis.com/Repository",
    "cloudresourcemanager.googleapis.com/Folder",
    "cloudresourcemanager.googleapis.com/Organization",
    "cloudresourcemanager.googleapis.com/Project",
    "firestore.googleapis.com/Database",
    "iam.googleapis.com/ServiceAccount",
    "iam.googleapis.com/WorkloadIdentityPool",
    "iam.googleapis.com/WorkloadIdentityPoolProvider",
    "monitoring.googleapis.com/AlertPolicy",
    "monitoring.googleapis.com/NotificationChannel",
    "pubsub.googleapis.com/Topic",
    "run.googleapis.com/Service",
    "secretmanager.googleapis.com/Secret",
    "storage.googleapis.com/Bucket",
)
"""Types ListAssets accepts here (a subset of the real list; Budget is not inventoried)."""

_PB = asset_v1.Asset.pb()
_RESPONSE = asset_v1.ListAssetsResponse.pb()
_REQUEST = asset_v1.ListAssetsRequest.pb()
_UNSPECIFIED, _RESOURCE, _IAM_POLICY = 0, 1, 2
_DEFAULT_PAGE, _MAX_PAGE = 100, 1000
_SERVER_OPTIONS = [("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)]


@dataclass(frozen=True, slots=True)
class Call:
    """One ListAssets call as the server saw it (calls failed by an injected fault included)."""

    at: float
    """time.monotonic() on arrival."""
    parent: str
    content_type: int
    page: int
    page_size: int
    page_token: str
    asset_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Entry:
    """One record: what selection needs, and its `assets` field bytes per content type."""

    name: str
    asset_type: str
    ancestors: frozenset[str]
    encoded: Mapping[int, bytes]
    project: tuple[str, str] | None
    """(id, number) when the record is a Project's resource."""


@dataclass(slots=True)
class _Fault:
    code: grpc.StatusCode
    from_page: int
    times: int | None
    message: str | None


class _Abort(Exception):
    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class FakeAssetService:
    """ListAssets over a fixed list of ExportAssets records, with faults set by the test."""

    def __init__(
        self,
        assets: Iterable[Mapping[str, Any]],
        *,
        projects: Mapping[str, str] | None = None,
        read_time: datetime.datetime | None = None,
    ) -> None:
        """`projects` maps project ids to numbers, so `projects/ID` scopes like `projects/NUMBER`.

        Project records (projectId, projectNumber in their data) add to that map, as the
        service knows its own projects.
        """
        self._entries = [_encode(raw, index) for index, raw in enumerate(assets)]
        self._projects = {
            **dict(entry.project for entry in self._entries if entry.project),
            **(projects or {}),
        }
        self._supported = sorted({*SUPPORTED_TYPES, *(e.asset_type for e in self._entries)})
        stamp = read_time or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.read_time = stamp
        self._read_time = _RESPONSE(read_time=stamp).read_time
        self._selections: dict[str, list[bytes]] = {}
        self._faults: list[_Fault] = []
        self._delay = 0.0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.calls: list[Call] = []

    def fail(
        self, code: grpc.StatusCode, *, times: int | None = 1, message: str | None = None
    ) -> None:
        """Fail the next `times` calls (None: every call) with `code`."""
        self.fail_from_page(1, code, times=times, message=message)

    def fail_from_page(
        self,
        page: int,
        code: grpc.StatusCode,
        *,
        times: int | None = None,
        message: str | None = None,
    ) -> None:
        """Fail calls for page `page` and later, `times` times (None: always)."""
        with self._lock:
            self._faults.append(_Fault(code, page, times, message))

    def delay(self, seconds: float) -> None:
        """Answer every later call after `seconds` (a slow or stuck service)."""
        self._delay = seconds

    def list_assets(self, request: Any, context: grpc.ServicerContext) -> bytes:
        """The ListAssets handler: raw request message in, encoded response out."""
        try:
            page, offset, key = self._position(request)
            with self._lock:
                self.calls.append(
                    Call(
                        at=time.monotonic(),
                        parent=request.parent,
                        content_type=request.content_type,
                        page=page,
                        page_size=request.page_size,
                        page_token=request.page_token,
                        asset_types=tuple(request.asset_types),
                    )
                )
                fault = self._take_fault(page)
            if self._delay:
                self._stopping.wait(self._delay)
            if fault:
                _abort_injected(context, fault, request)
            return self._page(request, key, page, offset)
        except _Abort as abort:
            context.abort(abort.code, str(abort))
            raise  # unreachable: abort raises

    def _take_fault(self, page: int) -> _Fault | None:
        for fault in self._faults:
            if page >= fault.from_page and fault.times != 0:
                if fault.times is not None:
                    fault.times -= 1
                return fault
        return None

    def _position(self, request: Any) -> tuple[int, int, str]:
        """(page number, offset, request key) from the page token; page 1 without one."""
        read_time = request.read_time if request.HasField("read_time") else self._read_time
        key = hashlib.sha256(
            repr(
                (
                    request.parent,
                    tuple(request.asset_types),
                    request.content_type,
                    read_time.seconds,
                    read_time.nanos,
                )
            ).encode()
        ).hexdigest()[:16]
        if not request.page_token:
            return 1, 0, key
        try:
            token_key, page, offset = (
                base64.urlsafe_b64decode(request.page_token).decode().split(":")
            )
            position = int(page), int(offset)
        except ValueError:
            raise _Abort(grpc.StatusCode.INVALID_ARGUMENT, "Invalid page_token.") from None
        if token_key != key:
            raise _Abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                "page_token does not match the request: parent, asset_types, content_type and "
                "read_time must not change while paging.",
            )
        return *position, key

    def _page(self, request: Any, key: str, page: int, offset: int) -> bytes:
        if request.page_size < 0:
            raise _Abort(grpc.StatusCode.INVALID_ARGUMENT, "page_size must not be negative.")
        size = min(request.page_size or _DEFAULT_PAGE, _MAX_PAGE)
        selection = self._selection(request, key)
        end = offset + size
        head = _RESPONSE(
            read_time=request.read_time if request.HasField("read_time") else self._read_time,
            next_page_token=_token(key, page + 1, end) if end < len(selection) else "",
        )
        return head.SerializeToString() + b"".join(selection[offset:end])

    def _selection(self, request: Any, key: str) -> list[bytes]:
        """The encoded records a request selects, computed once per request key."""
        cached = self._selections.get(key)
        if cached is not None:
            return cached
        if request.content_type not in (_UNSPECIFIED, _RESOURCE, _IAM_POLICY):
            raise _Abort(
                grpc.StatusCode.UNIMPLEMENTED,
                f"content_type {request.content_type} is not served by this fake.",
            )
        patterns = [self._pattern(text) for text in request.asset_types]
        scope = self._scope(request.parent)
        selection, named = [], set()
        for entry in self._entries:
            if (
                request.content_type in entry.encoded
                and scope & entry.ancestors
                and (not patterns or any(p.fullmatch(entry.asset_type) for p in patterns))
                and (request.content_type != _UNSPECIFIED or entry.name not in named)
            ):
                selection.append(entry.encoded[request.content_type])
                named.add(entry.name)  # without content, an asset is listed once
        with self._lock:
            self._selections[key] = selection
        return selection

    def _scope(self, parent: str) -> set[str]:
        """The ancestors that put an asset in scope: the parent, and a project's number."""
        if not re.fullmatch(r"(projects|folders|organizations)/[^/]+", parent):
            raise _Abort(grpc.StatusCode.INVALID_ARGUMENT, f"Invalid parent: {parent}")
        kind, _, ident = parent.partition("/")
        if kind == "projects" and ident in self._projects:
            return {parent, f"projects/{self._projects[ident]}"}
        return {parent}

    def _pattern(self, text: str) -> re.Pattern[str]:
        try:
            pattern = re.compile(text)
        except re.error:
            raise _Abort(grpc.StatusCode.INVALID_ARGUMENT, f"Invalid asset type: {text}") from None
        if not any(pattern.fullmatch(t) for t in self._supported):
            raise _Abort(grpc.StatusCode.INVALID_ARGUMENT, f"Unsupported asset type: {text}")
        return pattern

    def handler(self) -> grpc.GenericRpcHandler:
        return grpc.method_handlers_generic_handler(
            SERVICE,
            {
                "ListAssets": grpc.unary_unary_rpc_method_handler(
                    self.list_assets,
                    request_deserializer=_REQUEST.FromString,
                    response_serializer=bytes,
                )
            },
        )


def _encode(raw: Mapping[str, Any], index: int) -> _Entry:
    """An ExportAssets record, validated as an Asset, encoded once per content type."""
    try:
        full = json_format.ParseDict(raw, _PB(), ignore_unknown_fields=False)
    except json_format.ParseError as exc:
        raise ValueError(f"asset {index}: not an ExportAssets record: {exc}") from None
    projections = {
        _UNSPECIFIED: _PB(name=full.name, asset_type=full.asset_type, ancestors=full.ancestors)
    }
    for content, name in ((_RESOURCE, "resource"), (_IAM_POLICY, "iam_policy")):
        if full.HasField(name):
            projection = _PB(name=full.name, asset_type=full.asset_type, ancestors=full.ancestors)
            if full.HasField("update_time"):
                projection.update_time.CopyFrom(full.update_time)
            getattr(projection, name).CopyFrom(getattr(full, name))
            projections[content] = projection
    return _Entry(
        name=full.name,
        asset_type=full.asset_type,
        ancestors=frozenset(full.ancestors),
        project=_project(full),
        encoded={
            content: _RESPONSE(assets=[projection]).SerializeToString()
            for content, projection in projections.items()
        },
    )


def _project(asset: Any) -> tuple[str, str] | None:
    """(projectId, projectNumber) of a Project resource record, else None."""
    if asset.asset_type != "cloudresourcemanager.googleapis.com/Project":
        return None
    fields = asset.resource.data.fields
    if "projectId" not in fields or "projectNumber" not in fields:
        return None
    number = fields["projectNumber"]
    kind = number.WhichOneof("kind")
    text = number.string_value if kind == "string_value" else f"{number.number_value:.0f}"
    return fields["projectId"].string_value, text


def _token(key: str, page: int, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{key}:{page}:{offset}".encode()).decode()


def _abort_injected(context: grpc.ServicerContext, fault: _Fault, request: Any) -> None:
    """Abort as the service would, with google.rpc details for permission and quota errors."""
    code, message, details = fault.code, fault.message, []
    if code == grpc.StatusCode.PERMISSION_DENIED:
        permission = (
            "cloudasset.assets.listIamPolicy"
            if request.content_type == _IAM_POLICY
            else "cloudasset.assets.listResource"
        )
        message = message or f"The caller does not have permission {permission}"
        details.append(
            error_details_pb2.ErrorInfo(
                reason="IAM_PERMISSION_DENIED",
                domain="cloudasset.googleapis.com",
                metadata={"permission": permission, "resource": request.parent},
            )
        )
    elif code == grpc.StatusCode.RESOURCE_EXHAUSTED:
        message = message or (
            "Quota exceeded for quota metric 'List Assets requests' and limit 'List Assets "
            "requests per minute' of service 'cloudasset.googleapis.com'."
        )
        details.append(
            error_details_pb2.ErrorInfo(
                reason="RATE_LIMIT_EXCEEDED",
                domain="googleapis.com",
                metadata={
                    "service": "cloudasset.googleapis.com",
                    "quota_metric": "cloudasset.googleapis.com/list_assets_requests",
                    "quota_limit": "ListAssetsRequestsPerMinutePerProject",
                },
            )
        )
    status = status_pb2.Status(code=code.value[0], message=message or f"injected {code.name}")
    for detail in details:
        packed = any_pb2.Any()
        packed.Pack(detail)
        status.details.append(packed)
    context.abort_with_status(rpc_status.to_status(status))


@contextmanager
def serve(fake: FakeAssetService, port: int = 0) -> Iterator[str]:
    """Serve `fake` on 127.0.0.1 (a free port unless given); yield HOST:PORT; stop after."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), options=_SERVER_OPTIONS)
    server.add_generic_rpc_handlers((fake.handler(),))
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    try:
        yield f"127.0.0.1:{bound}"
    finally:
        fake._stopping.set()
        server.stop(grace=None).wait()


@contextmanager
def emulated(fake: FakeAssetService, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAssetService]:
    """Serve `fake` and point CLOUD_ASSET_EMULATOR_HOST at it for the test."""
    with serve(fake) as address:
        monkeypatch.setenv(EMULATOR_HOST_ENV, address)
        yield fake


def load_export(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """ExportAssets records from NDJSON files, one object a line."""
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise SystemExit(f"{path}:{number}: not JSON: {exc.msg}") from None


def main(argv: list[str] | None = None) -> None:
    """Serve export files until interrupted; print the port on stdout once ready."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", type=Path, action="append", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--project", action="append", default=[], metavar="ID=NUMBER")
    args = parser.parse_args(argv)
    projects = dict(item.split("=", 1) for item in args.project)
    fake = FakeAssetService(load_export(args.export), projects=projects)
    with serve(fake, args.port) as address:
        print(address.rpartition(":")[2], flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            sys.stderr.write("stopped\n")


if __name__ == "__main__":
    main()
