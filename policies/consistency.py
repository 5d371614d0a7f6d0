"""Plan provenance: the plan was made from the Terraform code it is checked against.

A plan exported from another branch, an older commit or another stack can pass every
other control and still not describe what will be applied. When the gate knows the
configuration directory (`--config DIR` or `config` in `[tool.plangate]`), every resource
address of the plan must exist in the HCL and every HCL block must appear in the plan, and
constant arguments must agree.
"""

from __future__ import annotations

from collections.abc import Iterator

from plangate.config import Configuration, check_consistency
from plangate.plan import Plan
from plangate.policy import NotApplicable, PolicyContext, Severity, View, Violation, policy


def plan_resources(plan: Plan) -> dict[str, str]:
    """Instance addresses the plan knows of, leaving out objects only being deleted or forgotten."""
    found: dict[str, str] = {}
    for change in plan.resource_changes:
        if change.deposed is None and not (change.actions.is_delete or change.actions.is_forget):
            found[change.address] = change.mode
    for values in (plan.planned_values, plan.prior_state.values if plan.prior_state else None):
        for resource in values.resources if values else ():
            if resource.mode in ("managed", "data") and resource.deposed_key is None:
                found.setdefault(resource.address, resource.mode)
    return found


@policy(
    id="PG-CFG-001",
    title="The plan was made from the configuration it is checked against",
    severity=Severity.HIGH,
    requirements=("REQ-031",),
    rationale="""A stale or foreign plan proves nothing about the code under review (REQ-031:
    "Verify terraform plan (0 changes)" holds only for the plan of that code). Resource
    addresses must match the HCL both ways, and constant arguments in the plan's configuration
    must equal the literals in the .tf files.""",
    view=View.PLAN,
    references=("https://developer.hashicorp.com/terraform/internals/json-format",),
)
def plan_matches_configuration(plan: Plan, ctx: PolicyContext) -> Iterator[Violation]:
    configuration = ctx.configuration
    if not isinstance(configuration, Configuration):
        raise NotApplicable(
            "no Terraform configuration to compare with (--config, or config in [tool.plangate])"
        )
    constants = {
        address: block.constants() for address, block in plan.configuration.resources.items()
    }
    for mismatch in check_consistency(plan_resources(plan), constants, configuration):
        if mismatch.is_soft:
            continue
        yield Violation(
            attribute="",
            expected="the same resources and constants as the HCL",
            actual=mismatch.kind.value,
            message=f"{mismatch.kind.value.replace('_', ' ')}: {mismatch.detail}",
            address=mismatch.address,
        )
