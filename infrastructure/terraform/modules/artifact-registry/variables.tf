variable "project_id" {
  description = "Google Cloud project that owns the repository."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the repository, e.g. europe-west1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must look like europe-west1 or us-central1."
  }
}

variable "repository_id" {
  description = "Repository ID (the last segment of the repository's name)."
  type        = string
  default     = "ct-scan"

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", var.repository_id))
    error_message = "repository_id must be lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "untagged_retention" {
  description = "Age after which untagged images are deleted, as a duration in seconds (\"2592000s\" = 30 days)."
  type        = string
  default     = "2592000s"

  validation {
    condition     = can(regex("^[0-9]+s$", var.untagged_retention))
    error_message = "untagged_retention must be a number of seconds followed by \"s\", e.g. \"2592000s\"."
  }
}

variable "keep_recent_versions" {
  description = "Number of most recent versions of each image that cleanup never deletes."
  type        = number
  default     = 10

  validation {
    condition     = var.keep_recent_versions >= 1
    error_message = "keep_recent_versions must be at least 1."
  }
}

variable "ci_deployer_email" {
  description = "Email of the CI deployer service account (granted writer on the repository)."
  type        = string
}

variable "training_email" {
  description = "Email of the training service account (granted reader on the repository)."
  type        = string
}

variable "labels" {
  description = "Common labels (project, environment, managed_by) merged into the repository's labels."
  type        = map(string)

  validation {
    condition     = can(var.labels["project"]) && can(var.labels["environment"]) && try(var.labels["managed_by"], "") == "terraform"
    error_message = "labels must contain project, environment and managed_by = \"terraform\"."
  }
}
