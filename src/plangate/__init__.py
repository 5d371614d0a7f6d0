"""plangate: a policy and compliance gate over Terraform plans for Google Cloud."""

__version__ = "0.1.0"
