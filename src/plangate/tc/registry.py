"""Every step form of terraform-compliance 1.16, as its templates read, bound to our handlers.

Templates use tc's own placeholders (`{name:PROPERTY}`, `{x:ANY}`, ...) so each line can be
checked against its steps.py by eye. Order matters where forms overlap: the more specific
form comes first (metadata before plain keys, `null` before any value, numbers before words).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from plangate.tc import given, then, when
from plangate.tc.context import Context

_CHARS = r"[*./_\-A-Za-z0-9:()\[\]']"
_TYPES = {
    "PROPERTY": rf'"[\s*./_\-A-Za-z0-9:()\[\]\']+"|{_CHARS}+',
    "PROPERTY_COMPAT": rf'{_CHARS}+\s{_CHARS}+|"[\s*./_\-A-Za-z0-9:()\[\]\']+"|{_CHARS}+',
    "ANY": r".+",
    "SECTION": r"[\"'a-z]+",
    "d": r"-?\d+",
}
# Where an ANY field is followed by a condition, the greedy `.+` would swallow "must" of
# "must not" (radish's parse does, and the step then fails); these bind the shortest key and
# the conditions tc knows first.
_LAZY = {"key": r".+?", "condition": r"must not|must only|must|.+?"}
_FIELD = re.compile(r"\{(\w+)(?::(\w+))?\}")

Handler = Callable[..., None]


@dataclass(frozen=True, slots=True)
class StepForm:
    """One template of one step keyword and the call it makes."""

    kind: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler

    def bind(self, text: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(text)
        if found is None:
            return None
        return {
            key: _clean(value, key) for key, value in found.groupdict().items() if value is not None
        }


def _clean(value: str, key: str) -> str:
    """tc strips quotes from every argument except regexes (the text between the quotes)."""
    return (
        value
        if key in ("search_regex", "regex_dict_value", "reference_address")
        else value.replace('"', "").replace("'", "")
    )


def _compile(template: str) -> re.Pattern[str]:
    out, last = [], 0
    for field in _FIELD.finditer(template):
        out.append(re.escape(template[last : field.start()]))
        kind, name = field.group(2), field.group(1)
        body = _TYPES[kind] if kind else r".+?"
        if kind == "ANY" and name in _LAZY:
            body = _LAZY[name]
        out.append(f"(?P<{field.group(1)}>{body})")
        last = field.end()
    out.append(re.escape(template[last:]))
    return re.compile("".join(out))


FORMS: list[StepForm] = []


def _form(kind: str, *templates: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        FORMS.extend(StepForm(kind, t, _compile(t), handler) for t in templates)
        return handler

    return register


# Given
_form("given", "I have {name:ANY} {type_name:SECTION} configured")(
    lambda ctx, name, type_name: given.i_have(ctx, name, type_name)
)
_form("given", "I have {name:ANY} defined")(lambda ctx, name: given.i_have(ctx, name))

# When: metadata (before the general `its KEY is VALUE`, which would also match)
for verb in ("has", "is", "contains", "includes"):
    _form("when", f'its {{key:PROPERTY}} metadata {verb} "{{search_regex}}" regex')(
        lambda ctx, key, search_regex: when.metadata_has(ctx, key, search_regex, regex=True)
    )
    _form("when", f"its {{key:PROPERTY}} metadata {verb} {{value:PROPERTY}}")(
        lambda ctx, key, value: when.metadata_has(ctx, key, value)
    )
for verb in ("has not", "is not", "does not have", "does not contain", "does not include"):
    _form("when", f'its {{key:PROPERTY}} metadata {verb} "{{search_regex}}" regex')(
        lambda ctx, key, search_regex: when.metadata_has(
            ctx, key, search_regex, has=False, regex=True
        )
    )
    _form("when", f"its {{key:PROPERTY}} metadata {verb} {{value:PROPERTY}}")(
        lambda ctx, key, value: when.metadata_has(ctx, key, value, has=False)
    )

# When: its KEY is (not) VALUE, plain and regex, with an optional leading address
_form(
    "when",
    'its {key:PROPERTY} does not include an entry where {value:PROPERTY} is "{regex_dict_value}" regex',
)(
    lambda ctx, key, value, regex_dict_value: when.key_is_value(
        ctx, key, value, regex_dict_value, regex=True, negate=True
    )
)
_form(
    "when",
    "its {key:PROPERTY} does not include an entry where {value:PROPERTY} is {dict_value:PROPERTY}",
)(lambda ctx, key, value, dict_value: when.key_is_value(ctx, key, value, dict_value, negate=True))
_form(
    "when",
    'its {key:PROPERTY} includes an entry where {value:PROPERTY} is "{regex_dict_value}" regex',
)(
    lambda ctx, key, value, regex_dict_value: when.key_is_value(
        ctx, key, value, regex_dict_value, regex=True
    )
)
_form(
    "when", "its {key:PROPERTY} includes an entry where {value:PROPERTY} is {dict_value:PROPERTY}"
)(lambda ctx, key, value, dict_value: when.key_is_value(ctx, key, value, dict_value))
for verb in ("is not", "has not", "does not include", "does not contain"):
    _form(
        "when",
        f'its {{key:PROPERTY}} {verb} "{{search_regex}}" regex',
        f'its {{address:PROPERTY}} {{key:PROPERTY}} {verb} "{{search_regex}}" regex',
    )(
        lambda ctx, key, search_regex, address=None: when.key_is_value(
            ctx, key, search_regex, address=address, regex=True, negate=True
        )
    )
    _form(
        "when",
        f"its {{key:PROPERTY}} {verb} {{value:PROPERTY}}",
        f"its {{address:PROPERTY}} {{key:PROPERTY}} {verb} {{value:PROPERTY}}",
    )(
        lambda ctx, key, value, address=None: when.key_is_value(
            ctx, key, value, address=address, negate=True
        )
    )
for verb in ("is", "has", "includes", "contains"):
    _form(
        "when",
        f'its {{key:PROPERTY}} {verb} "{{search_regex}}" regex',
        f'its {{address:PROPERTY}} {{key:PROPERTY}} {verb} "{{search_regex}}" regex',
    )(
        lambda ctx, key, search_regex, address=None: when.key_is_value(
            ctx, key, search_regex, address=address, regex=True
        )
    )
    _form(
        "when",
        f"its {{key:PROPERTY}} {verb} {{value:PROPERTY}}",
        f"its {{address:PROPERTY}} {{key:PROPERTY}} {verb} {{value:PROPERTY}}",
    )(lambda ctx, key, value, address=None: when.key_is_value(ctx, key, value, address=address))

# When: presence
_form(
    "when",
    "it does not contain {something:PROPERTY}",
    "it doesnt contain {something:PROPERTY}",
    "they do not have {something:PROPERTY}",
    "they dont have {something:PROPERTY}",
    "it does not have {something:PROPERTY}",
    "it doesnt have {something:PROPERTY}",
)(lambda ctx, something: when.it_does_not_have(ctx, something))
_form("when", "it contain {something:PROPERTY}", "it contains {something:PROPERTY}")(
    lambda ctx, something: when.it_has(ctx, something, narrow_to_values=True)
)
_form("when", "it has {something:PROPERTY}", "they have {something:PROPERTY}")(
    lambda ctx, something: when.it_has(ctx, something)
)
_form(
    "when",
    "I {action_type:PROPERTY} it",
    "I {action_type:PROPERTY} them",
    "I {action_type:PROPERTY} the value",
)(lambda ctx, action_type: when.count(ctx, action_type))

# Then
_form("then", 'it must have "{reference_address}" referenced')(
    lambda ctx, reference_address: then.must_be_referenced(ctx, reference_address)
)
_form(
    "then",
    "the scenario fails",
    "the scenario should fail",
    "the scenario must fail",
    "it fails",
    "it should fail",
    "it must fail",
)(lambda ctx: then.must_fail(ctx))
_form("then", "it {condition:ANY} have {proto} protocol and port {port} for {cidr:ANY}")(
    lambda ctx, condition, proto, port, cidr: then.security_group(ctx, condition, proto, port, cidr)
)
_form(
    "then",
    "it must not contain {something:PROPERTY_COMPAT}",
    "they must not contain {something:PROPERTY_COMPAT}",
    "it must not have {something:PROPERTY_COMPAT}",
    "they must not have {something:PROPERTY_COMPAT}",
)(lambda ctx, something: then.must_not_contain(ctx, something))
_form(
    "then",
    "it must contain {something:PROPERTY_COMPAT}",
    "it must have {something:PROPERTY_COMPAT}",
    "they must contain {something:PROPERTY_COMPAT}",
    "they must have {something:PROPERTY_COMPAT}",
)(lambda ctx, something: then.must_contain(ctx, something))
_form(
    "then",
    "its value must be {operator:ANY} than {number:d}",
    "I expect the result is {operator:ANY} than {number:d}",
    "its value must be {operator:ANY} to {number:d}",
    "I expect the result is {operator:ANY} to {number:d}",
)(lambda ctx, operator, number: then.compare_number(ctx, operator, int(number)))
_form("then", 'its singular value {condition:ANY} match the "{search_regex}" regex')(
    lambda ctx, condition, search_regex: then.value_matches(
        ctx, condition, search_regex, mode="singular"
    )
)
_form("then", 'any of its values {condition:ANY} match the "{search_regex}" regex')(
    lambda ctx, condition, search_regex: then.value_matches(
        ctx, condition, search_regex, mode="any"
    )
)
_form(
    "then",
    'its value {condition:ANY} match the "{search_regex}" regex',
    'all of its values {condition:ANY} match the "{search_regex}" regex',
)(lambda ctx, condition, search_regex: then.value_matches(ctx, condition, search_regex))
_form("then", "its value {condition:ANY} be null")(
    lambda ctx, condition: then.value_null(ctx, condition)
)
_form("then", "its value {condition:ANY} contain {value:ANY}")(
    lambda ctx, condition, value: then.value_contains(ctx, condition, value)
)
_form("then", "its value {condition:ANY} be {match:ANY}")(
    lambda ctx, condition, match: then.value_equals(ctx, condition, match)
)
_form(
    "then",
    "its {key:ANY} property {condition:ANY} be {value:ANY}",
    "its {key:ANY} key {condition:ANY} be {value:ANY}",
)(lambda ctx, key, condition, value: then.key_must_be(ctx, key, condition, value))
_form("then", "it must not be a superset of {haystack:ANY}", "it must not cover {haystack:ANY}")(
    lambda ctx, haystack: then.must_be_in(ctx, haystack, cover=True, negate=True)
)
_form("then", "it must not be a subset of {haystack:ANY}", "it must not be in {haystack:ANY}")(
    lambda ctx, haystack: then.must_be_in(ctx, haystack, negate=True)
)
_form("then", "it must be a superset of {haystack:ANY}", "it must cover {haystack:ANY}")(
    lambda ctx, haystack: then.must_be_in(ctx, haystack, cover=True)
)
_form("then", "it must be a subset of {haystack:ANY}", "it must be in {haystack:ANY}")(
    lambda ctx, haystack: then.must_be_in(ctx, haystack)
)
_form("then", "its {key:ANY} {condition:ANY} be {value:ANY}")(
    lambda ctx, key, condition, value: then.key_must_be(ctx, key, condition, value)
)
_form("then", "I flatten all values found")(lambda ctx: then.flatten(ctx))
_form(
    "then",
    "{something:ANY} is enabled",
    "{something:ANY} is be enabled",
    "{something:ANY} must be enabled",
)(lambda ctx, something: then.is_enabled(ctx, something))


def find(kind: str, text: str) -> tuple[StepForm, dict[str, Any]] | None:
    """The first form whose template matches the whole text, forms of the step's own role first.

    radish, which terraform-compliance runs on, ignores the keyword when binding a step; so do
    we, after giving the step's role the first chance.
    """
    for form in sorted(FORMS, key=lambda f: f.kind != kind):
        bound = form.bind(text)
        if bound is not None:
            return form, bound
    return None


def run(form: StepForm, ctx: Context, arguments: dict[str, Any]) -> None:
    form.handler(ctx, **arguments)
