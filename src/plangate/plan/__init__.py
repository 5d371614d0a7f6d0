"""The plan model and its loader: everything plangate does starts here."""

from plangate.plan.actions import Actions, ChangeKind
from plangate.plan.changes import Change, OutputChange, ResourceChange
from plangate.plan.configuration import ConfigResource, Configuration, Expression
from plangate.plan.load import (
    LoadedPlan,
    LoadedState,
    PlanSource,
    load_plan,
    load_state,
    parse_plan,
)
from plangate.plan.model import CheckResult, Plan
from plangate.plan.state import StateResource, StateValues
from plangate.plan.values import (
    ABSENT,
    SENSITIVE,
    UNKNOWN,
    Marker,
    format_path,
    get_path,
    parse_path,
    render,
    to_plain,
)

__all__ = [
    "ABSENT",
    "SENSITIVE",
    "UNKNOWN",
    "Actions",
    "Change",
    "ChangeKind",
    "CheckResult",
    "ConfigResource",
    "Configuration",
    "Expression",
    "LoadedPlan",
    "LoadedState",
    "Marker",
    "OutputChange",
    "Plan",
    "PlanSource",
    "ResourceChange",
    "StateResource",
    "StateValues",
    "format_path",
    "get_path",
    "load_plan",
    "load_state",
    "parse_path",
    "parse_plan",
    "render",
    "to_plain",
]
