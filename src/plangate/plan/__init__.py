"""The plan model and its loader: everything plangate does starts here."""

from plangate.plan.actions import Actions, ChangeKind
from plangate.plan.load import (
    LoadedPlan,
    LoadedState,
    PlanSource,
    load_plan,
    load_state,
    parse_plan,
)
from plangate.plan.model import (
    Change,
    CheckResult,
    ConfigResource,
    Configuration,
    Expression,
    OutputChange,
    Plan,
    ResourceChange,
    StateResource,
    StateValues,
)
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
