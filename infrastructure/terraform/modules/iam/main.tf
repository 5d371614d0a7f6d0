# Service accounts of the CT-scan stack and their project-level roles.
#
# Each workload runs as its own service account; nothing runs as the Compute Engine default
# service account. Project roles are given as an explicit map (var.project_roles) so that the
# whole grant set of an environment is readable in that environment's main.tf. Basic roles
# (owner, editor, viewer) are refused by the variable's validation.

resource "google_service_account" "api_runtime" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-api-runtime"
  display_name = "CT-scan API runtime"
  description  = "Identity of the Cloud Run classification API."
}

resource "google_service_account" "ci_deployer" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-ci-deployer"
  display_name = "CT-scan CI deployer"
  description  = "Impersonated by GitHub Actions through Workload Identity Federation to push images and deploy revisions."
}

resource "google_service_account" "training" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-training"
  display_name = "CT-scan training and DVC"
  description  = "Runs training jobs, reads and writes DVC data, publishes model artefacts."
}

resource "google_service_account" "drift_monitor" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-drift-monitor"
  display_name = "CT-scan drift monitor"
  description  = "Computes drift reports from logged predictions and writes drift metrics and logs."
}

locals {
  # Stable keys used by var.project_roles[*].account.
  service_account_emails = {
    api_runtime   = google_service_account.api_runtime.email
    ci_deployer   = google_service_account.ci_deployer.email
    training      = google_service_account.training.email
    drift_monitor = google_service_account.drift_monitor.email
  }
}

resource "google_project_iam_member" "roles" {
  for_each = var.project_roles

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${local.service_account_emails[each.value.account]}"
}
