variable "project_id" {
  description = "Google Cloud project that owns the pool."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "github_repository" {
  description = "The only GitHub repository allowed to authenticate, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be \"owner/name\", e.g. my-org/ct-scan-mlops."
  }
}

variable "ci_deployer_service_account_name" {
  description = "Full resource name of the CI deployer service account (projects/PROJECT/serviceAccounts/EMAIL)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/serviceAccounts/[^/]+@[^/]+$", var.ci_deployer_service_account_name))
    error_message = "ci_deployer_service_account_name must be projects/PROJECT/serviceAccounts/EMAIL."
  }
}

variable "pool_id" {
  description = "Workload identity pool ID."
  type        = string
  default     = "github-actions"

  validation {
    condition     = can(regex("^[a-z0-9-]{4,32}$", var.pool_id)) && !can(regex("^gcp-", var.pool_id))
    error_message = "pool_id must be 4-32 lowercase letters, digits or hyphens and must not start with gcp-."
  }
}

variable "provider_id" {
  description = "Workload identity pool provider ID."
  type        = string
  default     = "github-oidc"

  validation {
    condition     = can(regex("^[a-z0-9-]{4,32}$", var.provider_id)) && !can(regex("^gcp-", var.provider_id))
    error_message = "provider_id must be 4-32 lowercase letters, digits or hyphens and must not start with gcp-."
  }
}
