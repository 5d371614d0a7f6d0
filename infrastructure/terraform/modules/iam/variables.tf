variable "project_id" {
  description = "Google Cloud project that owns the service accounts and receives the role grants."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "name_prefix" {
  description = "Prefix of every service account ID; the longest ID is PREFIX-drift-monitor, which must fit in 30 characters."
  type        = string
  default     = "ct-scan"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.name_prefix))
    error_message = "name_prefix must be 2-16 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "project_roles" {
  description = "Project-level role grants, keyed by a stable readable name (e.g. api_runtime_datastore_user). account is one of api_runtime, ci_deployer, training, drift_monitor; role is a predefined role. Basic roles are refused."
  type = map(object({
    account = string
    role    = string
  }))

  validation {
    condition     = alltrue([for grant in values(var.project_roles) : contains(["api_runtime", "ci_deployer", "training", "drift_monitor"], grant.account)])
    error_message = "Each grant's account must be one of api_runtime, ci_deployer, training, drift_monitor."
  }

  validation {
    condition     = alltrue([for grant in values(var.project_roles) : !contains(["roles/owner", "roles/editor", "roles/viewer"], grant.role)])
    error_message = "Basic roles (roles/owner, roles/editor, roles/viewer) are not allowed; grant predefined roles."
  }

  validation {
    condition     = alltrue([for grant in values(var.project_roles) : can(regex("^roles/[a-zA-Z0-9_.]+$", grant.role))])
    error_message = "Each role must be a predefined role name such as roles/datastore.user."
  }
}
