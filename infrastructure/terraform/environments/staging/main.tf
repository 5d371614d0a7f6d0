# staging environment of the CT-scan MLOps stack.
# Staging mirrors prod's shape and IAM so that a release is tried against the same permissions. It
# runs ahead of prod on alerting: the four planned model-quality alerts are declared here (in
# shadow mode) to tune their thresholds.

provider "google" {
  project = var.project_id
  region  = var.region

  # Bill API quota to this project. The Budget API refuses calls without a quota project.
  user_project_override = true
  billing_project       = var.project_id
}

locals {
  labels = {
    project     = "ct-scan-mlops"
    environment = var.environment
    managed_by  = "terraform"
  }
}

module "storage" {
  source = "../../modules/storage"

  project_id             = var.project_id
  location               = var.bucket_location
  models_bucket_location = var.models_bucket_location
  labels                 = local.labels
}

module "iam" {
  source = "../../modules/iam"

  project_id = var.project_id

  # Every project-level grant of this environment, explicitly. No basic roles.
  project_roles = {
    # reads model artefacts from the models bucket
    api_runtime_object_viewer = { account = "api_runtime", role = "roles/storage.objectViewer" }
    # writes one Firestore document per prediction
    api_runtime_datastore_user = { account = "api_runtime", role = "roles/datastore.user" }
    # writes prediction-confidence metrics
    api_runtime_metric_writer = { account = "api_runtime", role = "roles/monitoring.metricWriter" }
    # deploys new revisions of the API
    ci_deployer_run_developer = { account = "ci_deployer", role = "roles/run.developer" }
    # lets a deploy attach the runtime service account (actAs)
    ci_deployer_sa_user = { account = "ci_deployer", role = "roles/iam.serviceAccountUser" }
    # dvc pull of test data in CI
    ci_deployer_object_viewer = { account = "ci_deployer", role = "roles/storage.objectViewer" }
    # dvc push/pull and publishing model artefacts
    training_object_admin = { account = "training", role = "roles/storage.objectAdmin" }
    # submits Vertex AI training jobs
    training_aiplatform_user = { account = "training", role = "roles/aiplatform.user" }
    # training job logs
    training_log_writer = { account = "training", role = "roles/logging.logWriter" }
    # writes drift scores as custom metrics
    drift_monitor_metric_writer = { account = "drift_monitor", role = "roles/monitoring.metricWriter" }
    # reads logged predictions
    drift_monitor_datastore_viewer = { account = "drift_monitor", role = "roles/datastore.viewer" }
    # reads reference data, writes drift reports
    drift_monitor_object_user = { account = "drift_monitor", role = "roles/storage.objectUser" }
  }
}

module "artifact_registry" {
  source = "../../modules/artifact-registry"

  project_id        = var.project_id
  region            = var.region
  ci_deployer_email = module.iam.ci_deployer_email
  training_email    = module.iam.training_email
  labels            = local.labels
}

module "secret_manager" {
  source = "../../modules/secret-manager"

  project_id          = var.project_id
  api_runtime_email   = module.iam.api_runtime_email
  training_email      = module.iam.training_email
  drift_monitor_email = module.iam.drift_monitor_email
  labels              = local.labels
}

module "cloud_run" {
  source = "../../modules/cloud-run"

  project_id              = var.project_id
  region                  = var.region
  environment             = var.environment
  image                   = var.api_image
  service_account_email   = module.iam.api_runtime_email
  models_bucket_name      = module.storage.models_bucket_name
  wandb_api_key_secret_id = module.secret_manager.wandb_api_key_secret_id
  invoker_member          = var.api_invoker_member
  cpu                     = "2"
  memory                  = "4Gi"
  min_instances           = 0
  max_instances           = 3
  deletion_protection     = true
  labels                  = local.labels

  # A revision can only start once the runtime account may read its secret; the secret IDs
  # alone do not carry that dependency on the IAM grants.
  depends_on = [module.secret_manager]
}

module "workload_identity" {
  source = "../../modules/workload-identity"

  project_id                       = var.project_id
  github_repository                = var.github_repository
  ci_deployer_service_account_name = module.iam.ci_deployer_name
}

module "firestore" {
  source = "../../modules/firestore"

  project_id             = var.project_id
  location_id            = var.firestore_location
  point_in_time_recovery = var.firestore_point_in_time_recovery
}

module "budget" {
  source = "../../modules/budget"

  project_id         = var.project_id
  billing_account_id = var.billing_account_id
  amount             = var.budget_amount
  currency_code      = var.budget_currency
  labels             = local.labels
}

module "monitoring" {
  source = "../../modules/monitoring"

  project_id               = var.project_id
  environment              = var.environment
  service_name             = module.cloud_run.service_name
  notification_email       = var.notification_email
  runbook_base_url         = var.runbook_base_url
  shadow_mode              = var.alerts_shadow_mode
  enable_planned_alerts    = var.enable_planned_alerts
  instance_count_threshold = 3
  labels                   = local.labels

  # Alerts watch the Cloud Run service: create them after it, destroy them before it.
  depends_on = [module.cloud_run]
}
