variable "project_id" {
  description = "Google Cloud project that owns the channel and the policies (and the monitored service)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name, shown in policy names and messages."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "service_name" {
  description = "Name of the Cloud Run service the API policies watch (pass module.cloud_run.service_name so the dependency is explicit)."
  type        = string
}

variable "notification_email" {
  description = "Address of the e-mail notification channel."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.notification_email))
    error_message = "notification_email must be an e-mail address."
  }
}

variable "runbook_base_url" {
  description = "Browsable URL of infrastructure/terraform/runbooks (no trailing slash); each policy links to a file below it."
  type        = string

  validation {
    condition     = can(regex("^https://[^ ]+[^/]$", var.runbook_base_url))
    error_message = "runbook_base_url must be an https URL without a trailing slash."
  }
}

variable "shadow_mode" {
  description = "When true, every P1 and P2 policy is created with enabled = false; P0 policies stay enabled."
  type        = bool
  default     = true
}

variable "enable_planned_alerts" {
  description = "Create the four planned model-quality policies (Phase 5-6). Turn on only where their custom metrics exist."
  type        = bool
  default     = false
}

variable "error_ratio_threshold" {
  description = "P0: share of requests answered with 5xx that triggers the alert, in (0, 1]."
  type        = number
  default     = 0.05

  validation {
    condition     = var.error_ratio_threshold > 0 && var.error_ratio_threshold <= 1
    error_message = "error_ratio_threshold must be in (0, 1]."
  }
}

variable "client_error_ratio_threshold" {
  description = "P2: share of requests answered with 4xx that triggers the alert, in (0, 1]."
  type        = number
  default     = 0.2

  validation {
    condition     = var.client_error_ratio_threshold > 0 && var.client_error_ratio_threshold <= 1
    error_message = "client_error_ratio_threshold must be in (0, 1]."
  }
}

variable "latency_critical_ms" {
  description = "P0: p95 request latency in milliseconds above which the API counts as down."
  type        = number
  default     = 10000

  validation {
    condition     = var.latency_critical_ms > 0
    error_message = "latency_critical_ms must be positive."
  }
}

variable "latency_high_ms" {
  description = "P1: p95 request latency in milliseconds above which the API counts as degraded. Keep it below latency_critical_ms."
  type        = number
  default     = 3000

  validation {
    condition     = var.latency_high_ms > 0
    error_message = "latency_high_ms must be positive."
  }
}

variable "memory_utilization_threshold" {
  description = "P1: container memory utilisation (fraction of the limit) that triggers the alert. At most 0.85, leaving room to act before the instance is killed."
  type        = number
  default     = 0.85

  validation {
    condition     = var.memory_utilization_threshold > 0 && var.memory_utilization_threshold <= 0.85
    error_message = "memory_utilization_threshold must be in (0, 0.85]."
  }
}

variable "cpu_utilization_threshold" {
  description = "P1: container CPU utilisation (fraction of the limit) that triggers the alert, in (0, 1]."
  type        = number
  default     = 0.8

  validation {
    condition     = var.cpu_utilization_threshold > 0 && var.cpu_utilization_threshold <= 1
    error_message = "cpu_utilization_threshold must be in (0, 1]."
  }
}

variable "instance_count_threshold" {
  description = "P2: number of instances (summed over revisions) at which the service counts as near its limit. Set it a little below the service's max_instances."
  type        = number

  validation {
    condition     = var.instance_count_threshold >= 1
    error_message = "instance_count_threshold must be at least 1."
  }
}

variable "prediction_drift_threshold" {
  description = "Planned P1: prediction drift score that triggers the alert, in (0, 1]."
  type        = number
  default     = 0.3

  validation {
    condition     = var.prediction_drift_threshold > 0 && var.prediction_drift_threshold <= 1
    error_message = "prediction_drift_threshold must be in (0, 1]."
  }
}

variable "input_drift_threshold" {
  description = "Planned P2: input drift score that triggers the alert, in (0, 1]."
  type        = number
  default     = 0.3

  validation {
    condition     = var.input_drift_threshold > 0 && var.input_drift_threshold <= 1
    error_message = "input_drift_threshold must be in (0, 1]."
  }
}

variable "low_confidence_ratio_threshold" {
  description = "Planned P1: share of low-confidence predictions that triggers the alert, in (0, 1]."
  type        = number
  default     = 0.2

  validation {
    condition     = var.low_confidence_ratio_threshold > 0 && var.low_confidence_ratio_threshold <= 1
    error_message = "low_confidence_ratio_threshold must be in (0, 1]."
  }
}

variable "drift_check_absent_duration" {
  description = "Planned P2: how long without a completed drift check before alerting, in seconds form (\"7200s\")."
  type        = string
  default     = "7200s"

  validation {
    condition     = can(regex("^[0-9]+s$", var.drift_check_absent_duration))
    error_message = "drift_check_absent_duration must be a number of seconds followed by \"s\"."
  }
}

variable "labels" {
  description = "Common labels (project, environment, managed_by) merged into the user labels of the channel and every policy."
  type        = map(string)

  validation {
    condition     = can(var.labels["project"]) && can(var.labels["environment"]) && try(var.labels["managed_by"], "") == "terraform"
    error_message = "labels must contain project, environment and managed_by = \"terraform\"."
  }
}
