"""Read Terraform configuration (HCL) with python-hcl2: blocks with file and line, module tree.

``load_configuration(dir)`` reads a root module and its local child modules; ``check_consistency``
tells whether a plan was made from that configuration.
"""

from plangate.config._hcl import Expression
from plangate.config.addresses import (
    InstanceKey,
    ResourceAddress,
    Step,
    parse_resource_address,
    strip_instance_keys,
)
from plangate.config.consistency import (
    SOFT_KINDS,
    Mismatch,
    MismatchKind,
    check_consistency,
    same_value,
)
from plangate.config.model import (
    ABSENT,
    Absent,
    Backend,
    Configuration,
    Lifecycle,
    Module,
    ModuleCall,
    Output,
    ProviderBlock,
    ProviderRequirement,
    ResourceBlock,
    SourceLocation,
    TerraformSettings,
    Variable,
)
from plangate.config.reader import load_configuration, read_module

__all__ = [
    "ABSENT",
    "SOFT_KINDS",
    "Absent",
    "Backend",
    "Configuration",
    "Expression",
    "InstanceKey",
    "Lifecycle",
    "Mismatch",
    "MismatchKind",
    "Module",
    "ModuleCall",
    "Output",
    "ProviderBlock",
    "ProviderRequirement",
    "ResourceAddress",
    "ResourceBlock",
    "SourceLocation",
    "Step",
    "TerraformSettings",
    "Variable",
    "check_consistency",
    "load_configuration",
    "parse_resource_address",
    "read_module",
    "same_value",
    "strip_instance_keys",
]
