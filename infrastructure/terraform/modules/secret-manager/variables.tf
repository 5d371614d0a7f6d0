variable "project_id" {
  description = "Google Cloud project that owns the secrets."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "wandb_api_key_secret_id" {
  description = "Secret ID of the experiment-tracker (Weights & Biases) API key."
  type        = string
  default     = "wandb-api-key"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.wandb_api_key_secret_id))
    error_message = "Secret IDs may contain letters, digits, hyphens and underscores only."
  }
}

variable "alert_webhook_secret_id" {
  description = "Secret ID of the chat webhook URL the drift monitor posts to."
  type        = string
  default     = "drift-alert-webhook"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.alert_webhook_secret_id))
    error_message = "Secret IDs may contain letters, digits, hyphens and underscores only."
  }
}

variable "api_runtime_email" {
  description = "Email of the Cloud Run runtime service account (reads the experiment-tracker key)."
  type        = string
}

variable "training_email" {
  description = "Email of the training service account (reads the experiment-tracker key)."
  type        = string
}

variable "drift_monitor_email" {
  description = "Email of the drift monitor service account (reads the webhook URL)."
  type        = string
}

variable "labels" {
  description = "Common labels (project, environment, managed_by) merged into each secret's labels."
  type        = map(string)

  validation {
    condition     = can(var.labels["project"]) && can(var.labels["environment"]) && try(var.labels["managed_by"], "") == "terraform"
    error_message = "labels must contain project, environment and managed_by = \"terraform\"."
  }
}
