variable "project_id" {
  description = "Google Cloud project that runs the service."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be 6-30 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the service, e.g. europe-west1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must look like europe-west1 or us-central1."
  }
}

variable "environment" {
  description = "Environment name, passed to the container as ENVIRONMENT."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "service_name" {
  description = "Name of the Cloud Run service."
  type        = string
  default     = "ct-scan-api"

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$", var.service_name))
    error_message = "service_name must be lowercase letters, digits and hyphens, at most 49 characters, starting with a letter."
  }
}

variable "image" {
  description = "Container image of the first revision. CI deploys later images; Terraform ignores changes to it after creation."
  type        = string
}

variable "service_account_email" {
  description = "Email of the dedicated runtime service account. The Compute Engine default service account is refused."
  type        = string

  validation {
    condition     = !can(regex("-compute@developer\\.gserviceaccount\\.com$", var.service_account_email))
    error_message = "Do not run the API as the Compute Engine default service account; pass the dedicated runtime service account."
  }
}

variable "models_bucket_name" {
  description = "Name of the bucket the API loads model artefacts from (passed as MODEL_BUCKET)."
  type        = string
}

variable "wandb_api_key_secret_id" {
  description = "Secret Manager secret ID of the experiment-tracker API key, exposed to the container as WANDB_API_KEY."
  type        = string
}

variable "ingress" {
  description = "Ingress setting. INGRESS_TRAFFIC_ALL is acceptable only because every request must carry an identity token for the invoker member."
  type        = string
  default     = "INGRESS_TRAFFIC_ALL"

  validation {
    condition     = contains(["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"], var.ingress)
    error_message = "ingress must be INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER."
  }
}

variable "invoker_member" {
  description = "The single principal granted roles/run.invoker, e.g. group:ct-scan-api-clients@example.com. allUsers and allAuthenticatedUsers are refused."
  type        = string

  validation {
    condition     = can(regex("^(group|serviceAccount|user):[^@]+@[^@]+$", var.invoker_member))
    error_message = "invoker_member must be a group:, serviceAccount: or user: principal; allUsers and allAuthenticatedUsers are not allowed."
  }
}

variable "cpu" {
  description = "CPU limit per instance (Cloud Run quantity, e.g. \"1\", \"2\", \"4\")."
  type        = string
  default     = "2"

  validation {
    condition     = contains(["1", "2", "4", "6", "8"], var.cpu)
    error_message = "cpu must be one of 1, 2, 4, 6, 8."
  }
}

variable "memory" {
  description = "Memory limit per instance (e.g. \"2Gi\", \"4Gi\")."
  type        = string
  default     = "4Gi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must be a quantity in Mi or Gi, e.g. 4Gi."
  }
}

variable "min_instances" {
  description = "Minimum number of instances kept warm."
  type        = number
  default     = 0

  validation {
    condition     = var.min_instances >= 0
    error_message = "min_instances cannot be negative."
  }
}

variable "max_instances" {
  description = "Maximum number of instances (caps cost and downstream load)."
  type        = number
  default     = 3

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 100
    error_message = "max_instances must be between 1 and 100."
  }
}

variable "max_concurrency" {
  description = "Maximum concurrent requests per instance. Inference is CPU-bound, so keep it low."
  type        = number
  default     = 4

  validation {
    condition     = var.max_concurrency >= 1 && var.max_concurrency <= 1000
    error_message = "max_concurrency must be between 1 and 1000."
  }
}

variable "request_timeout" {
  description = "Request timeout as a duration in seconds, e.g. \"300s\"."
  type        = string
  default     = "300s"

  validation {
    condition     = can(regex("^[0-9]+s$", var.request_timeout))
    error_message = "request_timeout must be a number of seconds followed by \"s\"."
  }
}

variable "deletion_protection" {
  description = "Whether Terraform refuses to delete the service (a Terraform-side guard; not sent to the API)."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Common labels (project, environment, managed_by) merged into the service's labels."
  type        = map(string)

  validation {
    condition     = can(var.labels["project"]) && can(var.labels["environment"]) && try(var.labels["managed_by"], "") == "terraform"
    error_message = "labels must contain project, environment and managed_by = \"terraform\"."
  }
}
