variable "project_id" {
  description = "Google Cloud project of the prod environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name; this directory is the prod environment."
  type        = string
  default     = "prod"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "region" {
  description = "Default region for regional resources (Cloud Run, Artifact Registry)."
  type        = string
  default     = "europe-west1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must look like europe-west1 or us-central1."
  }
}

variable "bucket_location" {
  description = "Location of the state, DVC and drift-log buckets."
  type        = string
  default     = "EUROPE-WEST1"

  validation {
    condition     = can(regex("^[A-Za-z]+(-[A-Za-z]+[0-9])?$", var.bucket_location))
    error_message = "bucket_location must be a bucket location such as EU or EUROPE-WEST1."
  }
}

variable "models_bucket_location" {
  description = "Location of the models bucket, which may differ from bucket_location (it must match the live bucket)."
  type        = string
  default     = "EU"

  validation {
    condition     = can(regex("^[A-Za-z]+(-[A-Za-z]+[0-9])?$", var.models_bucket_location))
    error_message = "models_bucket_location must be a bucket location such as EU or EUROPE-WEST1."
  }
}

variable "firestore_location" {
  description = "Firestore location (cannot change after creation)."
  type        = string
  default     = "eur3"

  validation {
    condition     = can(regex("^([a-z]+-[a-z]+[0-9]|eur3|nam5|nam7)$", var.firestore_location))
    error_message = "firestore_location must be a region such as europe-west1 or one of eur3, nam5, nam7."
  }
}

variable "firestore_point_in_time_recovery" {
  description = "Enable Firestore point-in-time recovery."
  type        = bool
  default     = true
}

variable "github_repository" {
  description = "The GitHub repository (owner/name) whose Actions workflows may impersonate the CI deployer."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be \"owner/name\"."
  }
}

variable "api_image" {
  description = "Image of the API's first revision (full Artifact Registry image reference). CI owns later images."
  type        = string

  validation {
    condition     = length(var.api_image) > 0
    error_message = "api_image must not be empty."
  }
}

variable "api_invoker_member" {
  description = "The one principal allowed to call the API (roles/run.invoker), normally a Google group. allUsers and allAuthenticatedUsers are refused."
  type        = string

  validation {
    condition     = can(regex("^(group|serviceAccount|user):[^@]+@[^@]+$", var.api_invoker_member))
    error_message = "api_invoker_member must be a group:, serviceAccount: or user: principal."
  }
}

variable "billing_account_id" {
  description = "Billing account the budget is created on."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account_id))
    error_message = "billing_account_id must look like 012345-6789AB-CDEF01."
  }
}

variable "budget_amount" {
  description = "Monthly budget in whole units of budget_currency."
  type        = string
  default     = "300"

  validation {
    condition     = can(regex("^[1-9][0-9]*$", var.budget_amount))
    error_message = "budget_amount must be a positive whole number written as a string."
  }
}

variable "budget_currency" {
  description = "Currency of the budget; must be the billing account's currency."
  type        = string
  default     = "EUR"

  validation {
    condition     = can(regex("^[A-Z]{3}$", var.budget_currency))
    error_message = "budget_currency must be a three-letter ISO 4217 code."
  }
}

variable "notification_email" {
  description = "E-mail address that receives the alerts of this environment."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.notification_email))
    error_message = "notification_email must be an e-mail address."
  }
}

variable "runbook_base_url" {
  description = "Browsable URL of infrastructure/terraform/runbooks on the default branch, without a trailing slash."
  type        = string

  validation {
    condition     = can(regex("^https://[^ ]+[^/]$", var.runbook_base_url))
    error_message = "runbook_base_url must be an https URL without a trailing slash."
  }
}

variable "alerts_shadow_mode" {
  description = "Create P1 and P2 alert policies disabled (shadow mode). P0 policies are always enabled."
  type        = bool
  default     = true
}

variable "enable_planned_alerts" {
  description = "Declare the four planned model-quality alert policies (Phase 5-6)."
  type        = bool
  default     = false
}
