"""The demo export served through the loopback AssetService gives the same conformance
findings as the file: the live path and the export path decode to one model."""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest

from plangate.conform import ConformOptions, run_conformance
from plangate.inventory import InventoryIncomplete
from plangate.policy import Status
from plangate.settings import find_settings
from tests.inventory.fake_asset_service import FakeAssetService, emulated, load_export

ROOT = Path(__file__).resolve().parents[2]
PLAN = str(ROOT / "infrastructure/plans/prod.json")
DEMO = ROOT / "infrastructure/inventory/prod.ndjson"


def _findings(report) -> set[tuple[str, str, str, str]]:
    return {(f.policy_id, f.address, f.attribute, f.status.value) for f in report.findings}


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch):
    with emulated(FakeAssetService(list(load_export([DEMO]))), monkeypatch) as fake:
        yield fake


def test_served_export_gives_the_same_findings_as_the_file(served: FakeAssetService) -> None:
    settings = find_settings(ROOT)
    from_file = run_conformance(settings, ConformOptions(plans=(PLAN,), inventory=DEMO))
    live = run_conformance(
        settings, ConformOptions(plans=(PLAN,), scope="projects/ct-scan-mlops-prod")
    )
    assert _findings(live) == _findings(from_file)
    assert any(f.status is Status.FAIL for f in live.findings)
    [run] = live.runs
    assert run.inventory.source.kind == "live"
    assert run.inventory.coverage == from_file.runs[0].inventory.coverage


def test_a_listing_that_fails_part_way_is_incomplete_not_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1,200 extra buckets make the listing two pages; page 2 is refused."""
    extra = [
        {
            "name": f"//storage.googleapis.com/extra-{i}",
            "asset_type": "storage.googleapis.com/Bucket",
            "ancestors": ["projects/174193855226"],
            "resource": {"data": {"name": f"extra-{i}"}},
        }
        for i in range(1200)
    ]
    fake = FakeAssetService([*load_export([DEMO]), *extra])
    fake.fail_from_page(2, grpc.StatusCode.PERMISSION_DENIED)
    with (
        emulated(fake, monkeypatch),
        pytest.raises(InventoryIncomplete, match=r"failed on page 2 after 1000 assets"),
    ):
        run_conformance(
            find_settings(ROOT),
            ConformOptions(plans=(PLAN,), scope="projects/ct-scan-mlops-prod"),
        )
