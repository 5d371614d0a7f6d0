"""Rules that make a Terraform value and a live value comparable.

The two sides describe the same setting in different words: locations in another case, a
project by id or by number, integers as Struct floats, labels that Google adds itself
(`goog-*`), Cloud Run's Knative annotation values for its v2 enum. Each rule maps both sides
to one canonical form; `equal` then compares canonical forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from plangate.plan.values import Marker

GOOGLE_LABEL_PREFIX = "goog-"
GOOGLE_LABEL_DOMAIN = "googleapis.com/"

_INGRESS = {
    "all": "INGRESS_TRAFFIC_ALL",
    "internal": "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
}
_PROJECT_SEGMENT = re.compile(r"(?<![A-Za-z])projects/([^/\s]+)")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class ProjectDirectory:
    """Project numbers to ids, learnt from Project assets and `google_project` data sources."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}

    def learn(self, number: Any, project_id: Any) -> None:
        number_text = _integer_text(number)
        if number_text and isinstance(project_id, str) and project_id:
            self._ids[number_text] = project_id

    def numbers(self) -> set[str]:
        return set(self._ids)

    def project_id(self, reference: str) -> str:
        """An id for `reference`, which may be an id or a number."""
        return self._ids.get(reference, reference)

    def names_by_id(self, text: str) -> str:
        """`text` with every `projects/NUMBER` segment written as `projects/ID`."""
        return _PROJECT_SEGMENT.sub(lambda m: f"projects/{self.project_id(m.group(1))}", text)

    def __len__(self) -> int:
        return len(self._ids)


def _integer_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.isdigit():
        return value
    return None


def _casefold(value: Any, _: ProjectDirectory) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _labels(value: Any, _: ProjectDirectory) -> Any:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        return value
    return {k: v for k, v in value.items() if not is_google_label(str(k))}


def is_google_label(key: str) -> bool:
    """Labels Google sets itself: `goog-*`, and system keys such as Cloud Run's
    `cloud.googleapis.com/location`."""
    return key.startswith(GOOGLE_LABEL_PREFIX) or GOOGLE_LABEL_DOMAIN in key


def _cloud_run_ingress(value: Any, _: ProjectDirectory) -> Any:
    return _INGRESS.get(value, value) if isinstance(value, str) else value


def _resource_names(value: Any, projects: ProjectDirectory) -> Any:
    if isinstance(value, list | tuple):
        return sorted(projects.names_by_id(v) if isinstance(v, str) else repr(v) for v in value)
    return value


RULES: Mapping[str, Callable[[Any, ProjectDirectory], Any]] = {
    "casefold": _casefold,
    "labels": _labels,
    "cloud_run_ingress": _cloud_run_ingress,
    "resource_names": _resource_names,
}


def equal(terraform: Any, live: Any) -> bool:
    """Deep equality where 3 == 3.0 == "3" (Struct floats, int64 strings), never True == 1."""
    if isinstance(terraform, Marker) or isinstance(live, Marker):
        return terraform is live
    if isinstance(terraform, Mapping) and isinstance(live, Mapping):
        return terraform.keys() == live.keys() and all(
            equal(terraform[k], live[k]) for k in terraform
        )
    if isinstance(terraform, list | tuple) and isinstance(live, list | tuple):
        return len(terraform) == len(live) and all(map(equal, terraform, live))
    if isinstance(terraform, bool) or isinstance(live, bool):
        return terraform is live
    left, right = _as_number(terraform), _as_number(live)
    if (
        left is not None
        and right is not None
        and (not isinstance(terraform, str) or not isinstance(live, str))
    ):
        return left == right
    return bool(terraform == live)


def _as_number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return float(value)
    return None
