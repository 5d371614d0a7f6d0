# Secret Manager: the secrets exist as containers only. Terraform never creates a secret
# version, so no secret value passes through a plan or the state. Values are added out of band:
#   printf '%s' "$VALUE" | gcloud secrets versions add SECRET_ID --data-file=-
# Access is granted per secret to the service accounts that need it, never project-wide.

resource "google_secret_manager_secret" "wandb_api_key" {
  project   = var.project_id
  secret_id = var.wandb_api_key_secret_id

  replication {
    auto {}
  }

  labels = merge(var.labels, { component = "secrets", consumer = "api-and-training" })
}

resource "google_secret_manager_secret" "alert_webhook" {
  project   = var.project_id
  secret_id = var.alert_webhook_secret_id

  replication {
    auto {}
  }

  labels = merge(var.labels, { component = "secrets", consumer = "drift-monitor" })
}

# The API downloads the registered model from the experiment tracker at start-up.
resource "google_secret_manager_secret_iam_member" "wandb_api_runtime" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.wandb_api_key.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${var.api_runtime_email}"
}

# Training logs runs and registers models in the experiment tracker.
resource "google_secret_manager_secret_iam_member" "wandb_training" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.wandb_api_key.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${var.training_email}"
}

# The drift monitor posts drift reports to the team's chat webhook.
resource "google_secret_manager_secret_iam_member" "alert_webhook_drift_monitor" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.alert_webhook.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${var.drift_monitor_email}"
}
