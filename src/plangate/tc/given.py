"""`Given I have ... defined` / `configured`: what each noun selects into the stash."""

from __future__ import annotations

from typing import Any

from plangate.tc.context import Context, Skip
from plangate.tc.matching import Match

SECTIONS = {"resource", "variable", "output", "provider", "data"}

# tc accepts a few human names for AWS/Azure types (its resource_name table); kept for fidelity.
_FRIENDLY: dict[str, str] = {}


def i_have(ctx: Context, name: str, section: str = "resource") -> None:
    section = section[:-1] if section.endswith("s") and section != "resources" else section
    section = "resource" if section == "resources" else section
    if section not in SECTIONS:
        ctx.error(
            f"{section} configuration type does not exist or not implemented yet. "
            "Use resource(s), provider(s), variable(s), output(s) or data(s) instead."
        )
        return
    view, match = ctx.view, ctx.match
    if name in ("a resource", "any resource", "resources"):
        ctx.select(list(view.unmounted), name, section)
        return
    if name in ("an output", "any output", "outputs"):
        ctx.select(list(view.outputs), name, "output")
        return
    if name in ("a variable", "any variable", "variables"):
        ctx.select(list(view.declared_variables), name, "variable")
        return
    if name.startswith("resource that supports"):
        prop = name[len("resource that supports") :].strip()
        types = {r["type"] for r in view.unmounted if match.seek_key(r["values"], prop)}
        found = [r for r in view.unmounted if r["type"] in types]
        if found:
            ctx.select(found, name, section)
            return
    elif section == "resource":
        wanted = _FRIENDLY.get(name, name)
        found = [r for r in view.resources if _type_is(match, r, wanted)]
        if found:
            ctx.select(found, wanted, section)
            return
    elif section == "data":
        found = [d for d in view.data if _type_is(match, d, name)]
        if found:
            ctx.select(found, name, section)
            return
    elif section == "variable":
        variable = match.get(dict(view.variables), name)
        if variable is not None:
            ctx.select([variable], name, section)
            ctx.addresses = [name]
            ctx.address = name
            return
    elif section == "output":
        found = [o for o in view.outputs if match.equals(o["address"], name)]
        if found:
            ctx.select(found, name, section)
            return
    elif section == "provider":
        found = [p for p in view.providers if match.equals(p["name"], name)]
        if found:
            ctx.select(found, name, section)
            ctx.address = name
            return
    raise Skip(f"Can not find {name} defined in target terraform plan.")


def _type_is(match: Match, entity: dict[str, Any], wanted: str) -> bool:
    return wanted == "any" or match.equals(entity["type"], wanted)
