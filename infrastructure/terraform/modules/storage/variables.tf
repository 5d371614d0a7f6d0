variable "project_id" {
  description = "Google Cloud project that owns the buckets. Bucket names are derived from it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "location" {
  description = "Location of the state, DVC and drift-log buckets (a region such as EUROPE-WEST1 or a multi-region such as EU)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z]+(-[A-Za-z]+[0-9])?$", var.location))
    error_message = "location must be a bucket location such as EU, US or EUROPE-WEST1."
  }
}

variable "models_bucket_location" {
  description = "Location of the models bucket. It can differ from `location` because the models bucket existed before Terraform; set it to the bucket's live location."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z]+(-[A-Za-z]+[0-9])?$", var.models_bucket_location))
    error_message = "models_bucket_location must be a bucket location such as EU, US or EUROPE-WEST1."
  }
}

variable "state_noncurrent_versions" {
  description = "How many superseded Terraform state versions to keep in the state bucket."
  type        = number
  default     = 20

  validation {
    condition     = var.state_noncurrent_versions >= 5
    error_message = "Keep at least 5 superseded state versions."
  }
}

variable "dvc_noncurrent_retention_days" {
  description = "Days a deleted or overwritten DVC object is kept before it is purged."
  type        = number
  default     = 90

  validation {
    condition     = var.dvc_noncurrent_retention_days >= 7
    error_message = "Keep deleted DVC objects for at least 7 days."
  }
}

variable "models_noncurrent_versions" {
  description = "How many superseded versions of each model object to keep."
  type        = number
  default     = 10

  validation {
    condition     = var.models_noncurrent_versions >= 1
    error_message = "Keep at least one superseded model version."
  }
}

variable "drift_log_retention_days" {
  description = "Days a drift report is kept before it is deleted."
  type        = number
  default     = 365

  validation {
    condition     = var.drift_log_retention_days >= 30
    error_message = "Keep drift reports for at least 30 days."
  }
}

variable "labels" {
  description = "Common labels (project, environment, managed_by) merged into every bucket's labels."
  type        = map(string)

  validation {
    condition     = can(var.labels["project"]) && can(var.labels["environment"]) && try(var.labels["managed_by"], "") == "terraform"
    error_message = "labels must contain project, environment and managed_by = \"terraform\"."
  }
}
