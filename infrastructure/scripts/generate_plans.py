#!/usr/bin/env python3
"""Plan fixture generator: `terraform show -json`-shaped plans for the stack, without Terraform.

This repository cannot download the google provider, so ``terraform plan`` cannot run here. This
script writes the plans plangate is tested on, from the HCL in ``infrastructure/terraform``:

    python infrastructure/scripts/generate_plans.py           # regenerate every plan
    python infrastructure/scripts/generate_plans.py --check   # exit 1 if a committed plan differs

Outputs: ``infrastructure/plans/{dev,staging,prod}.json`` (zero-change plans) and
``infrastructure/plans/scenarios/<name>.json`` (prod plus one change each, see
``plangen_scenarios.SCENARIOS``). Inputs: the HCL and the root variable values in
``infrastructure/plans/values/<env>.tfvars.json`` (the required variables, as the environment's
``terraform.tfvars.example`` gives them; a tfvars file Terraform itself accepts).

What it models
--------------
* Reading (``plangen_spec``): each environment's root module and its local modules through
  ``plangate.config``, plus output values, into specifications scenarios can edit.
* Expressions (``plangen_expr``): literals, tuples, objects, string templates, ``var.*``,
  ``local.*``, ``module.<call>.<output>``, resource and data attribute references, ``each.key``,
  ``each.value``, ``count.index``, ``merge()``, ``a ? b : c``, ``!``, ``&&``, ``||``, ``==``,
  ``!=``. An expression outside this set stops the generator with ``file:line`` and the reason.
* Evaluation (``plangen_eval``): expansion of ``count`` and ``for_each`` (a map) on resources,
  instance addresses and keys, module variables (with primitive type conversion), locals and
  outputs, evaluated lazily with cycle detection.
* State: every managed instance exists and matches its configuration (the Phase 2 imports), so
  ``prior_state`` is the configuration plus provider-computed attributes, with the transitive
  resource dependencies state records as ``depends_on`` (``plangen_deps``), plus the data
  sources as read.
* Provider (``plangen_google``): computed attributes with deterministic, plausible values (IDs,
  names, emails, self links, URIs; the project number is derived from ``project_id``), the
  ``labels`` -> ``terraform_labels``/``effective_labels`` mirrors, a few schema defaults, and the
  arguments that force replacement.
* Planning: create (computed attributes unknown), update, replace (``delete``/``create`` with
  ``replace_paths`` and ``replace_because_cannot_update``), delete
  (``delete_because_no_resource_config``) and no-op; output changes; ``applyable`` is true only
  when something changes (Terraform's ``Plan.CanApply``); ``prevent_destroy`` refuses a plan.
* Document (``plangen_document``): format 1.2 as Terraform 1.9.8 writes it: variables (plain
  text, defaults included), planned_values, resource_changes (sorted by address), output_changes,
  prior_state (format 1.0), configuration (expressions with ``constant_value`` or unwrapped
  ``references`` per jsonconfig's rules, variables, outputs, module calls, provider_config),
  timestamp (fixed), errored/complete/applyable; masks in Terraform's mirrored shape.

What it does not model
----------------------
* Terraform itself: no provider schemas. Optional arguments the HCL does not set and the provider
  model does not list are absent (a real plan writes them as null or the API's value); nested
  attributes the provider computes inside blocks are absent (except the Firestore field's TTL
  state); ``schema_version`` is always 0; set elements keep the order written; values keep the
  type written (only primitive root and module variables are converted).
* ``validation`` blocks, preconditions and postconditions are not evaluated (a scenario can break
  one: the owner grant is refused by the iam module's validation in a real plan); no ``checks``.
* ``lifecycle``: ``ignore_changes``, ``create_before_destroy`` and ``replace_triggered_by`` are
  ignored; ``prevent_destroy`` only as a refusal.
* Refresh and drift: no ``resource_drift``; the prior state never differs from the configuration.
  No ``relevant_attributes``, no ``deferred_changes``, no import (``importing``).
* Provider behaviour beyond the model: server-side normalisation (e.g. IAM members storing the
  full secret name), API defaults, the provider's attribution label (which 6.x adds only on
  creation, so the imported objects have none), anything unknown at plan time other than the
  computed attributes of an object being created or replaced.
* Language: module ``count``/``for_each``/``providers``, provider aliases, remote modules,
  ``dynamic`` blocks, for-expressions, splats, arithmetic and comparison, other functions,
  template directives, heredoc templates, ``path.*``/``terraform.*``/``self``, sets.
* Sensitivity: a value derived from a variable or output declared ``sensitive`` is masked as a
  whole (Terraform may mask more precisely); provider-side sensitive attributes are not modelled.
  The stack declares nothing sensitive, so these plans carry no sensitive value.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from plangen_document import dumps, plan_document
from plangen_eval import Evaluation
from plangen_expr import EvalError
from plangen_google import ProviderModelError
from plangen_scenarios import SCENARIOS, Scenario
from plangen_spec import REPO, ModuleSpec, load_stack

from plangate.errors import InputError

ENVIRONMENTS = ("dev", "staging", "prod")
SCENARIO_BASE = "prod"
TERRAFORM_DIR = REPO / "infrastructure" / "terraform" / "environments"
PLANS_DIR = REPO / "infrastructure" / "plans"
VALUES_DIR = PLANS_DIR / "values"
SCENARIOS_DIR = PLANS_DIR / "scenarios"
TIMESTAMP = "2026-02-05T09:30:00Z"  # Phase 2's final `terraform plan`; fixed for reproducibility


class GenerationError(Exception):
    """The generator cannot produce a faithful plan; the message says where and why."""


def read_values(environment: str) -> dict[str, Any]:
    path = VALUES_DIR / f"{environment}.tfvars.json"
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise GenerationError(f"{path}: cannot read the variable values: {error}") from None
    if not isinstance(values, dict):
        raise GenerationError(f"{path}: expected a JSON object of variable values")
    return values


def state_of(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """The managed objects of an evaluation, by address: the state a plan starts from."""
    return {a: i.values for a, i in evaluation.instances.items() if i.mode == "managed"}


def build_plan(
    root: ModuleSpec,
    values: dict[str, Any],
    edited: ModuleSpec | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The plan of ``edited`` (default: ``root`` itself) against the state of ``root``.

    The state is ``root`` evaluated with ``values`` as if every object exists and matches its
    configuration; ``overrides`` replace root variable values for the planned side only.
    """
    prior = Evaluation(root, values)
    target = root if edited is None else edited
    planned = Evaluation(target, {**values, **(overrides or {})}, prior=state_of(prior))
    return plan_document(target, prior, planned, root, TIMESTAMP)


def zero_change_plan(environment: str) -> dict[str, Any]:
    """The plan of an environment whose live objects match its configuration."""
    document = build_plan(load_stack(TERRAFORM_DIR / environment), read_values(environment))
    changing = [
        c["address"] for c in document["resource_changes"] if c["change"]["actions"] != ["no-op"]
    ]
    if changing:
        raise GenerationError(
            f"{environment}: the provider model does not reproduce its own state for {changing[0]}"
        )
    return document


def scenario_plan(scenario: Scenario) -> dict[str, Any]:
    """Prod's configuration with the scenario's edits, planned against prod's state."""
    root = load_stack(TERRAFORM_DIR / SCENARIO_BASE)
    edited = copy.deepcopy(root)
    for mutation in scenario.mutations:
        mutation(edited)
    return build_plan(root, read_values(SCENARIO_BASE), edited, dict(scenario.variables))


def render_all() -> dict[Path, str]:
    """Every generated file and its content."""
    files = {PLANS_DIR / f"{env}.json": dumps(zero_change_plan(env)) for env in ENVIRONMENTS}
    for scenario in SCENARIOS:
        files[SCENARIOS_DIR / f"{scenario.name}.json"] = dumps(scenario_plan(scenario))
    return files


def _relative(path: Path) -> str:
    return str(path.relative_to(REPO))


def check(files: dict[Path, str]) -> list[str]:
    """Why the committed files are not what the generator writes (empty when current)."""
    problems = []
    for path, text in sorted(files.items()):
        if not path.exists():
            problems.append(f"{_relative(path)}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{_relative(path)}: differs from the generated plan")
    for path in sorted(SCENARIOS_DIR.glob("*.json")):
        if path not in files:
            problems.append(f"{_relative(path)}: not produced by any scenario")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a committed plan is not current"
    )
    args = parser.parse_args(argv)
    try:
        files = render_all()
    except (EvalError, ProviderModelError, GenerationError, InputError) as error:
        print(f"generate_plans: {error}", file=sys.stderr)
        return 2
    if args.check:
        problems = check(files)
        for problem in problems:
            print(f"generate_plans --check: {problem}", file=sys.stderr)
        if problems:
            print("run: python infrastructure/scripts/generate_plans.py", file=sys.stderr)
        return 1 if problems else 0
    SCENARIOS_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    for path in SCENARIOS_DIR.glob("*.json"):
        if path not in files:
            path.unlink()
    print(f"wrote {len(files)} plans under {_relative(PLANS_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
