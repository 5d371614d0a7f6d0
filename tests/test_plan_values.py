"""Values: absent, null, unknown, sensitive and known stay apart; sensitive plaintext is gone."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any

import msgspec
import pytest

from plangate.plan import (
    ABSENT,
    SENSITIVE,
    UNKNOWN,
    format_path,
    get_path,
    parse_path,
    parse_plan,
    render,
    to_plain,
)
from plangate.plan.values import Marker, changed_paths, freeze_mask, mask_paths, resolve
from tests.fixtures.builder import PlanBuilder, Secret

# --------------------------------------------------------------------------- five results


def _five() -> Any:
    return resolve(
        {"known": "value", "null": None, "secret": "hunter2"},
        {"unknown": True},
        {"secret": True},
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [("missing", ABSENT), ("null", None), ("unknown", UNKNOWN), ("secret", SENSITIVE)],
)
def test_get_path_tells_absent_null_unknown_and_sensitive_apart(path: str, expected: Any) -> None:
    assert get_path(_five(), path) is expected


def test_get_path_returns_known_values() -> None:
    assert get_path(_five(), "known") == "value"


def test_the_five_results_are_pairwise_different() -> None:
    value = _five()
    results = [get_path(value, p) for p in ("missing", "null", "unknown", "secret", "known")]
    assert len({id(result) for result in results}) == 5
    assert results[4] == "value"
    for marker in (ABSENT, UNKNOWN, SENSITIVE):
        assert marker is not None
        assert marker != "value"


def test_the_five_results_survive_the_loader() -> None:
    plan = (
        PlanBuilder()
        .resource(
            "google_storage_bucket.b",
            action="create",
            after={"name": "b", "retention_policy": None, "id": UNKNOWN, "hmac": Secret("k")},
        )
        .plan()
    )
    after = plan.resource_changes[0].after
    assert get_path(after, "name") == "b"
    assert get_path(after, "retention_policy") is None
    assert get_path(after, "id") is UNKNOWN
    assert get_path(after, "hmac") is SENSITIVE
    assert get_path(after, "labels") is ABSENT


def test_markers_refuse_truthiness_so_callers_compare_explicitly() -> None:
    for marker in (ABSENT, UNKNOWN, SENSITIVE):
        with pytest.raises(TypeError):
            bool(marker)


def test_markers_stay_singletons_through_copy_and_pickle() -> None:
    for marker in (ABSENT, UNKNOWN, SENSITIVE):
        assert copy.copy(marker) is marker
        assert copy.deepcopy(marker) is marker
        assert pickle.loads(pickle.dumps(marker)) is marker


def test_a_marker_on_the_way_answers_for_everything_below_it() -> None:
    value = resolve({"versioning": None}, {"versioning": True}, False)
    assert get_path(value, "versioning[0].enabled") is UNKNOWN
    value = resolve({"secret": {"a": 1}}, False, {"secret": True})
    assert get_path(value, "secret.a") is SENSITIVE


def test_missing_steps_are_absent_not_errors() -> None:
    value = resolve({"list": [1, 2], "map": {"a": 1}, "text": "x"})
    assert get_path(value, "list[5]") is ABSENT
    assert get_path(value, "map.b") is ABSENT
    assert get_path(value, "text.inner") is ABSENT
    assert get_path(value, "missing.deeper[0]") is ABSENT
    assert get_path(None, "anything") is ABSENT


# --------------------------------------------------------------------------- unknown merge


def test_unknown_merged_inside_nested_blocks() -> None:
    after = {
        "network_interface": [
            {"network": "default", "access_config": [{"network_tier": "PREMIUM"}]}
        ]
    }
    unknown = {"network_interface": [{"network_ip": True, "access_config": [{"nat_ip": True}]}]}
    value = resolve(after, unknown)
    assert get_path(value, "network_interface[0].access_config[0].nat_ip") is UNKNOWN
    assert get_path(value, "network_interface[0].access_config[0].network_tier") == "PREMIUM"
    assert get_path(value, "network_interface[0].network_ip") is UNKNOWN
    assert get_path(value, "network_interface[0].network") == "default"


def test_unknown_list_elements_are_null_in_after() -> None:
    value = resolve({"tags": ["web", None, None]}, {"tags": [False, True, False]})
    assert get_path(value, "tags") == ("web", UNKNOWN, None)
    assert get_path(value, "tags[1]") is UNKNOWN
    assert get_path(value, "tags[2]") is None


def test_whole_attribute_unknown() -> None:
    value = resolve({"name": "x"}, {"versioning": True, "labels": True})
    assert get_path(value, "versioning") is UNKNOWN
    assert get_path(value, "labels") is UNKNOWN
    assert get_path(value, "name") == "x"


def test_unknown_keys_absent_from_after_are_added() -> None:
    value = resolve({}, {"self_link": True, "nested": {"deep": {"id": True}}})
    assert set(value) == {"self_link", "nested"}
    assert get_path(value, "nested.deep.id") is UNKNOWN


def test_wholly_unknown_value() -> None:
    assert resolve(None, True) is UNKNOWN
    assert resolve({"a": 1}, True) is UNKNOWN


def test_unknown_wins_over_sensitive() -> None:
    value = resolve({}, {"password": True}, {"password": True})
    assert get_path(value, "password") is UNKNOWN


def test_false_masks_change_nothing() -> None:
    after = {"a": [1, {"b": None}], "c": {"d": "e"}}
    value = resolve(after, {"a": [False, {}], "c": {}}, {"a": [False, {}], "c": {}})
    assert to_plain(value) == after


def test_resolved_values_are_frozen() -> None:
    value = resolve({"labels": {"a": "b"}, "tags": ["x"]})
    assert isinstance(value, Mapping)
    with pytest.raises(TypeError):
        value["labels"]["a"] = "c"  # type: ignore[index]
    assert isinstance(value["tags"], tuple)


# --------------------------------------------------------------------------- sensitive


def test_sensitive_leaf_inside_lists_and_blocks() -> None:
    value = resolve(
        {"env": [{"name": "DB", "value": "hunter2"}, {"name": "X", "value": "ok"}]},
        False,
        {"env": [{"value": True}, {}]},
    )
    assert get_path(value, "env[0].value") is SENSITIVE
    assert get_path(value, "env[0].name") == "DB"
    assert get_path(value, "env[1].value") == "ok"


def test_whole_attribute_sensitive() -> None:
    value = resolve({"secret_data": {"k": "v"}}, False, {"secret_data": True})
    assert get_path(value, "secret_data") is SENSITIVE


MALFORMED_MASKS = [
    pytest.param({"secret": "yes"}, id="string-leaf"),
    pytest.param({"secret": 1}, id="number-leaf"),
    pytest.param({"secret": [True]}, id="list-for-scalar"),
    pytest.param({"secret": {"inner": True}}, id="object-for-scalar"),
    pytest.param([True], id="list-for-object"),
    pytest.param("everything", id="string-for-object"),
]


@pytest.mark.parametrize("mask", MALFORMED_MASKS)
def test_malformed_sensitive_masks_hide_rather_than_leak(mask: Any) -> None:
    value = resolve({"secret": "hunter2", "other": "fine"}, False, mask)
    assert "hunter2" not in repr(value)
    assert "hunter2" not in repr(to_plain(value))


def test_a_mask_shaped_for_a_list_on_an_object_hides_the_object() -> None:
    assert resolve({"a": "hunter2"}, False, [True]) is SENSITIVE


def test_a_malformed_unknown_mask_never_invents_plaintext() -> None:
    value = resolve({"a": "x"}, ["nonsense"], False)
    assert to_plain(value) == {"a": "x"}


SECRET = "hunter2-do-not-print-7f3a"


def _secret_plan() -> PlanBuilder:
    return (
        PlanBuilder()
        .resource(
            "module.secrets.google_secret_manager_secret_version.db",
            action="update",
            before={"secret_data": Secret(SECRET), "enabled": True},
            after={"secret_data": Secret(SECRET + "-new"), "enabled": True},
        )
        .resource(
            'module.run["api"].google_cloud_run_v2_service.api',
            action="create",
            after={
                "template": [
                    {
                        "containers": [
                            {
                                "env": [{"name": "DB_PASSWORD", "value": Secret(SECRET)}],
                                "image": "x",
                            }
                        ]
                    }
                ],
                "uri": UNKNOWN,
            },
        )
        .resource(
            "google_service_account_key.ci",
            action="delete",
            before={"private_key": Secret(SECRET)},
        )
        .drift(
            "module.secrets.google_secret_manager_secret_version.db",
            before={"secret_data": Secret("old-" + SECRET)},
            after={"secret_data": Secret(SECRET)},
        )
        .output(
            "db_password", action="update", before=SECRET + "-old", after=SECRET, sensitive=True
        )
        .output("nested", after={"list": [Secret(SECRET)]})
        .variable("db_password", SECRET, sensitive=True)
    )


def _secret_document() -> dict[str, Any]:
    document = _secret_plan().build()
    variables = document["configuration"]["root_module"]["variables"]
    variables["db_password"]["default"] = SECRET
    return document


def _every_value(plan: Any) -> list[Any]:
    values: list[Any] = [plan.variables]
    for change in (*plan.resource_changes, *plan.resource_drift):
        values += [change.before, change.after]
    for output in plan.output_changes.values():
        values += [output.before, output.after]
    for state in (plan.planned_values, plan.prior_state.values):
        values += [resource.values for resource in state.resources]
        values += [output.value for output in state.outputs.values()]
    values += [variable.default for variable in plan.configuration.root_variables.values()]
    return values


def test_sensitive_plaintext_is_gone_from_the_model() -> None:
    document = _secret_document()
    text = json.dumps(document)
    assert text.count(SECRET) >= 8  # the document really carries it in every place
    plan = parse_plan(text.encode(), "secret.json").plan
    assert SECRET not in repr(plan)
    for value in _every_value(plan):
        assert SECRET not in repr(to_plain(value))
        assert SECRET not in render(value)
    assert get_path(plan.resource_changes[0].after, "secret_data") is SENSITIVE
    container = "template[0].containers[0].env[0]"
    assert get_path(plan.resource_changes[1].after, f"{container}.value") is SENSITIVE
    assert get_path(plan.resource_changes[1].after, f"{container}.name") == "DB_PASSWORD"
    assert plan.variables["db_password"] is SENSITIVE
    assert plan.output_changes["db_password"].after is SENSITIVE


def _public_reach(root: Any, limit: int = 200_000) -> Iterator[Any]:
    """Everything reachable from `root` through public attributes, properties and items."""
    seen: set[int] = set()
    pending = [root]
    while pending and len(seen) < limit:
        item = pending.pop()
        if id(item) in seen or isinstance(item, str | int | float | bool | type(None)):
            yield item
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, tuple | list):
            pending.extend(item)
        elif not isinstance(item, Marker | Enum):
            for name in dir(item):
                if name.startswith("_") or callable(getattr(type(item), name, None)):
                    continue
                pending.append(getattr(item, name))


def test_no_public_attribute_of_the_model_reaches_sensitive_plaintext() -> None:
    # Values stay raw (with their plaintext) until read: the raw slices are private fields,
    # and every public path out of the model goes through the masks.
    plan = parse_plan(json.dumps(_secret_document()).encode(), "secret.json").plan
    reached = list(_public_reach(plan))
    assert len(reached) > 500  # the walk really went through the model
    for item in reached:
        assert not isinstance(item, bytes | memoryview | msgspec.Raw)
        assert SECRET not in (item if isinstance(item, str) else repr(item))


@pytest.mark.parametrize(
    "sections",
    [{}, {"planned_values": False}, {"configuration": False}],
    ids=["both", "configuration-only", "planned-values-only"],
)
def test_sensitive_outputs_of_a_0_12_plan_are_hidden_without_masks(
    sections: dict[str, bool],
) -> None:
    plan = (
        PlanBuilder(terraform_version="0.12.31", **sections)
        .output("token", action="update", before=SECRET + "-old", after=SECRET, sensitive=True)
        .plan()
    )
    assert SECRET not in repr(plan)
    assert plan.output_changes["token"].after is SENSITIVE
    assert plan.output_changes["token"].before is SENSITIVE


def test_literal_secret_in_configuration_is_hidden() -> None:
    plan = (
        PlanBuilder()
        .resource(
            "google_secret_manager_secret_version.db",
            action="create",
            after={"secret_data": Secret(SECRET)},
            config={"secret_data": {"constant_value": SECRET}},
        )
        .plan()
    )
    assert SECRET not in repr(plan)
    block = plan.configuration.resources["google_secret_manager_secret_version.db"]
    assert block.expressions["secret_data"].constant_value is SENSITIVE


def test_literal_argument_of_a_sensitive_module_variable_is_hidden() -> None:
    document = PlanBuilder().resource("module.db.google_sql_user.app", action="no-op").build()
    document["configuration"]["root_module"]["module_calls"] = {
        "db": {
            "source": "./db",
            "expressions": {
                "password": {"constant_value": SECRET},
                "tier": {"constant_value": "small"},
            },
            "module": {"variables": {"password": {"sensitive": True}, "tier": {}}},
        }
    }
    plan = parse_plan(json.dumps(document).encode(), "module-secret.json").plan
    call = plan.configuration.module_calls["module.db"]
    assert call.expressions["password"].constant_value is SENSITIVE
    assert call.expressions["tier"].constant_value == "small"
    assert SECRET not in repr(plan)


def test_freeze_mask_keeps_only_true_leaves() -> None:
    mask = freeze_mask({"a": False, "b": {"c": True, "d": False}, "e": [False, True], "f": {}})
    assert to_plain(mask) == {"b": {"c": True}, "e": [False, True]}
    assert list(mask_paths(mask)) == [("b", "c"), ("e", 1)]


# --------------------------------------------------------------------------- changed paths


def test_changed_paths_reports_leaves_and_unknowns() -> None:
    before = resolve(
        {"labels": {"a": "1", "b": "2"}, "versioning": [{"enabled": False}], "same": 1}
    )
    after = resolve(
        {"labels": {"a": "1", "c": "3"}, "versioning": [{"enabled": True}], "same": 1},
        {"self_link": True},
    )
    assert list(changed_paths(before, after)) == [
        ("labels", "b"),
        ("labels", "c"),
        ("self_link",),
        ("versioning", 0, "enabled"),
    ]


def test_changed_paths_lists_of_different_length_differ_as_a_whole() -> None:
    assert list(changed_paths(resolve({"t": [1]}), resolve({"t": [1, 2]}))) == [("t",)]


def test_changed_paths_type_change_is_a_change() -> None:
    assert list(changed_paths(resolve({"n": 1}), resolve({"n": "1"}))) == [("n",)]
    assert list(changed_paths(resolve({"n": True}), resolve({"n": 1}))) == [("n",)]


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("versioning[0].enabled", ("versioning", 0, "enabled")),
        ("versioning.0.enabled", ("versioning", 0, "enabled")),
        ('labels["team.name"]', ("labels", "team.name")),
        ('labels["say \\"hi\\""]', ("labels", 'say "hi"')),
        ("a", ("a",)),
        ("[3]", (3,)),
    ],
)
def test_parse_path(text: str, steps: tuple[Any, ...]) -> None:
    assert parse_path(text) == steps


def test_parse_path_passes_tuples_through() -> None:
    assert parse_path(("a", 0)) == ("a", 0)


@pytest.mark.parametrize("text", ["a..b", "a[", "[x]", "a]"])
def test_parse_path_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_path(text)


@pytest.mark.parametrize(
    "steps",
    [
        ("versioning", 0, "enabled"),
        ("labels", "team.name"),
        ("labels", "with space"),
        ("labels", "kebab-key"),
        (0, "x"),
        ("a", "0"),
    ],
)
def test_format_path_round_trips(steps: tuple[Any, ...]) -> None:
    assert parse_path(format_path(steps)) == steps


def test_format_path_reads_like_terraform() -> None:
    assert format_path(("versioning", 0, "enabled")) == "versioning[0].enabled"
    assert format_path(("labels", "a.b")) == 'labels["a.b"]'


# --------------------------------------------------------------------------- rendering


def test_to_plain_and_render_show_markers_by_label() -> None:
    value = resolve({"a": None, "b": [1, True], "c": "x"}, {"u": True}, {"c": True})
    plain = to_plain(value)
    assert plain == {"a": None, "b": [1, True], "c": str(SENSITIVE), "u": str(UNKNOWN)}
    text = render(value)
    assert "null" in text and "(known after apply)" in text and "(sensitive)" in text
    assert '"x"' not in text


@pytest.mark.parametrize("mask", [[], {}, [False], "yes"])
def test_a_mask_that_does_not_fit_its_value_hides_it_all(mask: Any) -> None:
    value = ["s3cr3t-in-a-list"] if isinstance(mask, dict) else {"data": "s3cr3t-in-a-map"}
    assert resolve(value, False, mask) is SENSITIVE


@pytest.mark.parametrize(
    ("mask", "hidden"),
    [
        ("false", set()),
        ('{"labels": {}, "versioning": [{}]}', set()),
        ('{"a": false, "b": [false, false]}', set()),
        ('{"password": true, "name": false}', {"password"}),
        ('{"nested": [{"key": true}]}', {"nested"}),
        ('{"odd": 1}', {"odd"}),  # a malformed leaf hides rather than leaks
        ('{"odd": "yes"}', {"odd"}),
        ('{"odd": [false, null]}', {"odd"}),
        ('{"tr:ue\\"": false}', set()),  # a key that looks like syntax is still a key
    ],
)
def test_hidden_attributes_are_read_from_raw_masks(mask: str, hidden: set[str]) -> None:
    from plangate.plan.wire import hidden_attributes

    assert hidden_attributes(msgspec.Raw(mask.encode())) == hidden


# --------------------------------------------------------------------------- found by mutation


@pytest.mark.parametrize("mask", ["yes", 1, {"0": True}, {"0": "yes"}])
def test_a_list_under_a_mis_shaped_sensitive_mask_stays_hidden(mask: Any) -> None:
    # Malformed masks used to be tested on objects only: a list value must never come back
    # as plaintext when its mask is a string, a number or an object.
    assert resolve(["hunter2"], False, mask) is SENSITIVE
    assert resolve({"list": ["hunter2"]}, False, {"list": mask}) == {"list": SENSITIVE}


def test_a_list_under_a_mis_shaped_unknown_mask_is_unknown_only_when_marked() -> None:
    assert resolve(["a"], {"0": True}, False) is UNKNOWN
    assert resolve(["a"], {"0": False}, False) == ("a",)
    assert resolve({"a": 1}, [True], False) is UNKNOWN
    assert resolve({"a": 1}, [False], False) == {"a": 1}


def test_an_object_under_a_string_sensitive_mask_stays_hidden() -> None:
    assert resolve({"a": "hunter2"}, False, "yes") is SENSITIVE
    assert resolve({"a": "hunter2"}, {"b": True}, "yes") is SENSITIVE


def test_an_unknown_mask_of_false_keys_invents_no_key() -> None:
    # `after_unknown` of {"x": false} says nothing is unknown: no null `x` may appear.
    assert resolve({}, {"x": False}, False) == {}
    assert get_path(resolve({}, {"x": False}, False), "x") is ABSENT
    value = resolve({"a": 1}, {"x": False, "y": True, "z": {"w": False}}, False)
    assert dict(value) == {"a": 1, "y": UNKNOWN}
    value = resolve(None, {"x": False, "y": True}, False)
    assert dict(value) == {"y": UNKNOWN}
    nested = resolve({"b": {}}, {"b": {"x": False, "y": {"z": True}}}, False)
    assert to_plain(nested) == {"b": {"y": {"z": "(known after apply)"}}}


def _nested_objects(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


def test_objects_150_deep_are_refused_like_lists() -> None:
    from plangate.plan.values import MAX_DEPTH, NestedTooDeeply, freeze

    with pytest.raises(NestedTooDeeply, match=f"deeper than {MAX_DEPTH} levels"):
        resolve(_nested_objects(150))
    with pytest.raises(NestedTooDeeply):
        freeze(_nested_objects(150))
    with pytest.raises(NestedTooDeeply):  # the merging path, not only the cheap one
        resolve(_nested_objects(150), False, {"other": True})
    assert get_path(freeze(_nested_objects(MAX_DEPTH)), ("k",) * MAX_DEPTH) == "leaf"
    assert get_path(resolve(_nested_objects(MAX_DEPTH + 1)), ("k",) * (MAX_DEPTH + 1)) == "leaf"
    with pytest.raises(NestedTooDeeply):
        resolve(_nested_objects(MAX_DEPTH + 2))


def test_the_merging_path_stops_exactly_past_the_limit() -> None:
    from plangate.plan.values import MAX_DEPTH, NestedTooDeeply

    mask = _nested_objects(MAX_DEPTH + 1)  # a sensitive "leaf" string: malformed, hides
    value = _nested_objects(MAX_DEPTH + 1)
    assert get_path(resolve(value, False, _nested_objects(MAX_DEPTH)), ("k",) * MAX_DEPTH) is (
        SENSITIVE
    )
    with pytest.raises(NestedTooDeeply):
        resolve(_nested_objects(MAX_DEPTH + 2), False, mask)


def test_masks_150_deep_are_refused() -> None:
    from plangate.plan.values import MAX_DEPTH, NestedTooDeeply

    deep_mask = _nested_objects(150)  # its leaf is malformed: it hides
    with pytest.raises(NestedTooDeeply, match=f"deeper than {MAX_DEPTH} levels"):
        freeze_mask(deep_mask)
    with pytest.raises(NestedTooDeeply):
        resolve(_nested_objects(150), False, deep_mask)
    with pytest.raises(NestedTooDeeply):
        resolve(_nested_objects(150), _nested_objects(150), False)
    lists: Any = True
    for _ in range(150):
        lists = [lists]
    with pytest.raises(NestedTooDeeply):
        freeze_mask(lists)
    assert freeze_mask(_nested_objects(MAX_DEPTH)) is not None


def test_get_path_with_an_index_on_a_string_or_mapping() -> None:
    # An index never reads a character of a string; on a mapping it is the key's text.
    assert get_path({"name": "text"}, "name[0]") is ABSENT
    assert get_path("text", (0,)) is ABSENT
    assert get_path({"m": {"0": "zero"}}, "m[0]") == "zero"
    assert get_path(resolve({"m": {"0": "zero"}}), ("m", 0)) == "zero"
    assert get_path({"m": {"1": "one"}}, "m[0]") is ABSENT
    assert get_path(("a", "b"), ("x",)) is ABSENT
    assert get_path(("a", "b"), (1,)) == "b"
    assert get_path(("a", "b"), (2,)) is ABSENT
    assert get_path(None, "a") is ABSENT
    assert get_path(5, (0,)) is ABSENT


def test_get_path_reads_every_kind_of_mapping() -> None:
    from types import MappingProxyType

    class Custom(Mapping[str, Any]):
        def __init__(self, data: dict[str, Any]) -> None:
            self._data = data

        def __getitem__(self, key: str) -> Any:
            return self._data[key]

        def __iter__(self) -> Iterator[str]:
            return iter(self._data)

        def __len__(self) -> int:
            return len(self._data)

    for mapping in ({"a": {"b": 1}}, MappingProxyType({"a": {"b": 1}}), Custom({"a": {"b": 1}})):
        assert get_path(mapping, "a.b") == 1
        assert get_path(mapping, "a.c") is ABSENT


def test_markers_are_immutable_singletons() -> None:
    with pytest.raises(AttributeError):
        UNKNOWN.other = 1  # type: ignore[attr-defined]
    assert repr(SENSITIVE) == str(SENSITIVE) == "(sensitive)"
    assert repr(ABSENT) == "(absent)" and str(UNKNOWN) == "(known after apply)"


def test_freeze_mask_keeps_the_shape_of_a_mask_that_hides_nothing() -> None:
    assert freeze_mask({"a": False}) == {} and isinstance(freeze_mask({"a": False}), Mapping)
    assert freeze_mask([False, False]) == ()
    assert freeze_mask(False) is False
    assert freeze_mask(True) is True
    assert freeze_mask("yes") is True  # a malformed leaf hides
    assert freeze_mask([False, "yes"]) == (False, True)


def test_freeze_mask_counts_list_depth_one_level_at_a_time() -> None:
    from plangate.plan.values import MAX_DEPTH

    mask: Any = True
    for _ in range(MAX_DEPTH):
        mask = [mask]
    frozen = freeze_mask(mask)
    assert list(mask_paths(frozen)) == [(0,) * MAX_DEPTH]


def test_freeze_counts_depth_from_the_top() -> None:
    from plangate.plan.values import MAX_DEPTH, freeze

    assert get_path(freeze(_nested_objects(MAX_DEPTH + 1)), ("k",) * (MAX_DEPTH + 1)) == "leaf"


def test_changed_paths_tells_an_absent_key_from_a_null_one() -> None:
    assert list(changed_paths(resolve({}), resolve({"a": None}))) == [("a",)]
    assert list(changed_paths(resolve({"a": None}), resolve({}))) == [("a",)]
    assert list(changed_paths(resolve({"a": None}), resolve({"a": None}))) == []


def test_changed_paths_an_object_replaced_by_a_marker_or_scalar_changes_as_a_whole() -> None:
    assert list(changed_paths(resolve({"a": {"b": 1}}), resolve({}, {"a": True}))) == [("a",)]
    assert list(changed_paths(resolve({"a": "x"}), resolve({"a": {"b": 1}}))) == [("a",)]
    assert list(changed_paths(resolve({"a": {"b": 1}}), resolve({"a": "x"}))) == [("a",)]


def test_format_path_keeps_capitalised_names_bare() -> None:
    assert format_path(("Name", "Tags", 0)) == "Name.Tags[0]"


def test_render_writes_every_kind_of_value_like_json() -> None:
    value = resolve(
        {"s": "x", "n": None, "t": True, "f": False, "i": 3, "l": [1, 2], "m": {"a": 1, "b": 2}}
    )
    assert render(value) == (
        '{s = "x", n = null, t = true, f = false, i = 3, l = [1, 2], m = {a = 1, b = 2}}'
    )
    assert render(()) == "[]" and render({}) == "{}"
    assert render(1.5) == "1.5"


def test_a_none_sensitive_mask_is_malformed_and_hides() -> None:
    assert resolve("hunter2", False, None) is SENSITIVE
    assert resolve({"a": "hunter2"}, False, {"a": None}) == {"a": SENSITIVE}


def test_a_scalar_under_a_mis_shaped_unknown_mask_stays_itself() -> None:
    assert resolve("x", {"a": True}, False) == "x"
    assert resolve(5, [True], False) == 5


def test_depth_is_counted_from_the_top_through_every_merging_step() -> None:
    from plangate.plan.values import MAX_DEPTH, NestedTooDeeply

    # under a mask that hides a sibling, the cheap path below still counts from the top
    fits = {"a": _nested_objects(MAX_DEPTH), "s": "p"}
    assert get_path(resolve(fits, False, {"s": True}), ("a",) + ("k",) * MAX_DEPTH) == "leaf"
    with pytest.raises(NestedTooDeeply):
        resolve({"a": _nested_objects(MAX_DEPTH + 1), "s": "p"}, False, {"s": True})
    # a mask that hides nothing below a key that is merged
    with pytest.raises(NestedTooDeeply):
        resolve(
            {"a": _nested_objects(MAX_DEPTH + 1), "s": "p"},
            False,
            {"s": True, "a": {"k": False}},
        )
    # list items are one level down
    list_mask = [{"other": True}]
    merged = resolve([_nested_objects(MAX_DEPTH)], False, list_mask)
    assert get_path(merged, (0,) + ("k",) * MAX_DEPTH) == "leaf"
    with pytest.raises(NestedTooDeeply):
        resolve([_nested_objects(MAX_DEPTH + 1)], False, list_mask)


def test_a_marker_keeps_its_label_and_says_why_it_has_no_truth_value() -> None:
    marker = Marker("(a label)")
    assert repr(marker) == "(a label)"
    with pytest.raises(TypeError, match=r"^\(known after apply\) has no truth value; compare"):
        bool(UNKNOWN)


def test_hidden_attributes_reads_every_mask_past_one_that_hides_nothing() -> None:
    from plangate.plan.wire import hidden_attributes

    masks = (b'{"a": false}', b"false", b'{"b": true}', b'{"c": [true]}')
    assert hidden_attributes(*(msgspec.Raw(mask) for mask in masks)) == {"b", "c"}


@pytest.mark.parametrize(
    ("value", "mask"),
    [
        ("x", ""),  # an empty string is not "hides nothing": only false and containers are
        (5, 0),
        ({"list": [1]}, {"list": {}}),  # a nested container of the wrong shape
        ({"block": {"a": 1}}, {"block": []}),
        ([[1, 2]], [{}]),
    ],
)
def test_a_mis_shaped_or_malformed_mask_that_looks_empty_hides(value: object, mask: object) -> None:
    """A mask Terraform would never write must hide too much, never leak the plaintext."""
    rendered = repr(resolve(value, False, mask))
    assert "sensitive" in rendered
    assert "1" not in rendered and "'x'" not in rendered and "5" not in rendered
