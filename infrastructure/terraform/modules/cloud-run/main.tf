# The CT-scan classification API on Cloud Run (v2 API).
#
# - Runs as a dedicated runtime service account, never the Compute Engine default account.
# - Credentials reach the container only as Secret Manager references (value_source), never as
#   plain environment values.
# - Callers must be authenticated: exactly one invoker member is granted, and it cannot be
#   allUsers or allAuthenticatedUsers (see the variable's validation).
# - CI deploys new images with `gcloud run deploy`; Terraform owns everything else and ignores
#   the image and the client fields that gcloud stamps on each deploy.

resource "google_cloud_run_v2_service" "api" {
  project             = var.project_id
  name                = var.service_name
  location            = var.region
  description         = "CT-scan classification API"
  ingress             = var.ingress
  deletion_protection = var.deletion_protection

  labels = merge(var.labels, { component = "api" })

  template {
    service_account                  = var.service_account_email
    timeout                          = var.request_timeout
    max_instance_request_concurrency = var.max_concurrency

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    containers {
      image = var.image

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        cpu_idle          = true
        startup_cpu_boost = true
      }

      env {
        name  = "ENVIRONMENT"
        value = var.environment
      }

      env {
        name  = "MODEL_BUCKET"
        value = var.models_bucket_name
      }

      env {
        name = "WANDB_API_KEY"
        value_source {
          secret_key_ref {
            secret  = var.wandb_api_key_secret_id
            version = "latest"
          }
        }
      }

      # Loading the model takes a while; allow up to two minutes before the first health check
      # must pass.
      startup_probe {
        initial_delay_seconds = 10
        period_seconds        = 10
        timeout_seconds       = 5
        failure_threshold     = 12
        http_get {
          path = "/health"
        }
      }

      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = "/health"
        }
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }

  lifecycle {
    ignore_changes = [
      template[0].containers[0].image,
      client,
      client_version,
    ]
  }
}

# One invoker. A group lets the team add or remove callers (the web front end's service
# account, the drift monitor, analysts) without a Terraform change, while the API stays closed
# to the public.
resource "google_cloud_run_v2_service_iam_member" "invoker" {
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.api.name
  role     = "roles/run.invoker"
  member   = var.invoker_member
}
