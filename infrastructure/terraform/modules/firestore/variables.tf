variable "project_id" {
  description = "Google Cloud project that owns the database."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "database_name" {
  description = "Database ID. \"(default)\" is the database the client libraries use unless told otherwise."
  type        = string
  default     = "(default)"

  validation {
    condition     = var.database_name == "(default)" || can(regex("^[a-z][a-z0-9-]{3,61}[a-z0-9]$", var.database_name))
    error_message = "database_name must be \"(default)\" or 5-63 lowercase letters, digits and hyphens."
  }
}

variable "location_id" {
  description = "Firestore location: a region (europe-west1) or a multi-region (eur3, nam5). It cannot be changed after creation."
  type        = string

  validation {
    condition     = can(regex("^([a-z]+-[a-z]+[0-9]|eur3|nam5|nam7)$", var.location_id))
    error_message = "location_id must be a region such as europe-west1 or one of eur3, nam5, nam7."
  }
}

variable "point_in_time_recovery" {
  description = "Enable point-in-time recovery (7 days of version history, billed as storage). On in prod."
  type        = bool
  default     = false
}

variable "predictions_collection" {
  description = "Collection that holds one document per prediction."
  type        = string
  default     = "predictions"
}
