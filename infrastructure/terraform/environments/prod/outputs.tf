output "bucket_names" {
  description = "The four buckets, by purpose."
  value = {
    tfstate    = module.storage.tfstate_bucket_name
    dvc        = module.storage.dvc_bucket_name
    models     = module.storage.models_bucket_name
    drift_logs = module.storage.drift_logs_bucket_name
  }
}

output "artifact_registry_repository" {
  description = "Full resource name of the Docker repository."
  value       = module.artifact_registry.repository_name
}

output "api_service_uri" {
  description = "URL of the CT-scan API (callers need an identity token)."
  value       = module.cloud_run.service_uri
}

output "service_account_emails" {
  description = "Emails of the four service accounts."
  value       = module.iam.service_account_emails
}

output "workload_identity_provider" {
  description = "Value for `workload_identity_provider` in the GitHub Actions auth step."
  value       = module.workload_identity.provider_name
}

output "ci_service_account" {
  description = "Value for `service_account` in the GitHub Actions auth step."
  value       = module.iam.ci_deployer_email
}

output "firestore_database" {
  description = "Firestore database ID."
  value       = module.firestore.database_name
}

output "budget_topic" {
  description = "Pub/Sub topic that receives budget notifications."
  value       = module.budget.pubsub_topic_id
}

output "alert_policy_ids" {
  description = "IDs of the seven live alert policies."
  value       = module.monitoring.alert_policy_ids
}
