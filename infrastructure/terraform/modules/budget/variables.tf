variable "project_id" {
  description = "Google Cloud project the budget covers and that owns the topic."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "billing_account_id" {
  description = "Billing account ID, e.g. 012345-6789AB-CDEF01."
  type        = string

  validation {
    condition     = can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", var.billing_account_id))
    error_message = "billing_account_id must look like 012345-6789AB-CDEF01 (upper-case hex)."
  }
}

variable "amount" {
  description = "Monthly budget in whole units of currency_code, as a string of digits (the API's int64 units)."
  type        = string

  validation {
    condition     = can(regex("^[1-9][0-9]*$", var.amount))
    error_message = "amount must be a positive whole number written as a string, e.g. \"300\"."
  }
}

variable "currency_code" {
  description = "ISO 4217 currency code; it must be the billing account's currency."
  type        = string
  default     = "EUR"

  validation {
    condition     = can(regex("^[A-Z]{3}$", var.currency_code))
    error_message = "currency_code must be a three-letter ISO 4217 code such as EUR or USD."
  }
}

variable "pubsub_topic_name" {
  description = "Name of the Pub/Sub topic that receives budget notifications."
  type        = string
  default     = "budget-alerts"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9._~%+-]{2,254}$", var.pubsub_topic_name)) && !can(regex("^goog", var.pubsub_topic_name))
    error_message = "pubsub_topic_name must be 3-255 characters, start with a letter and not start with goog."
  }
}

variable "labels" {
  description = "Common labels (project, environment, managed_by) merged into the topic's labels. Budgets take no labels."
  type        = map(string)

  validation {
    condition     = can(var.labels["project"]) && can(var.labels["environment"]) && try(var.labels["managed_by"], "") == "terraform"
    error_message = "labels must contain project, environment and managed_by = \"terraform\"."
  }
}
