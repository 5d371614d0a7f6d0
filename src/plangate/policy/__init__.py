"""The policy engine: registry, settings, waivers, one-pass evaluation and results."""

from plangate.policy.expect import (
    expect_equal,
    expect_one_of,
    expect_present,
    expect_that,
    violation,
)
from plangate.policy.registry import (
    REGISTRY,
    PolicySpec,
    Registry,
    Severity,
    View,
    load_catalogue,
    policy,
)
from plangate.policy.results import Finding, GateReport, PlanRun, PolicyResult, Status
from plangate.policy.settings import SETTINGS, setting
from plangate.policy.subject import NotApplicable, PolicyContext, Resource, Violation
from plangate.policy.waivers import Waiver, load_waivers

__all__ = [
    "REGISTRY",
    "SETTINGS",
    "Finding",
    "GateReport",
    "NotApplicable",
    "PlanRun",
    "PolicyContext",
    "PolicyResult",
    "PolicySpec",
    "Registry",
    "Resource",
    "Severity",
    "Status",
    "View",
    "Violation",
    "Waiver",
    "expect_equal",
    "expect_one_of",
    "expect_present",
    "expect_that",
    "load_catalogue",
    "load_waivers",
    "policy",
    "setting",
    "violation",
]
