"""Inventory failures. They are exit 3: a listing that failed is never an empty project."""

from plangate.errors import PlanGateError


class InventoryError(PlanGateError):
    """The inventory could not be read whole; nothing may be concluded from what was read."""

    exit_code = 3


class InventoryUnreachable(InventoryError):
    """The service did not answer, refused (permission, quota) or timed out."""


class InventoryIncomplete(InventoryError):
    """The inventory was read but cannot be whole: a page failed, a scope or content is missing."""
