"""Cloud Asset Inventory: what runs in Google Cloud, read live or from an export, in one model."""

from plangate.inventory.errors import InventoryError, InventoryIncomplete, InventoryUnreachable
from plangate.inventory.model import Asset, Binding, ContentType, InventorySource

__all__ = [
    "Asset",
    "Binding",
    "ContentType",
    "InventoryError",
    "InventoryIncomplete",
    "InventorySource",
    "InventoryUnreachable",
]
