output "api_runtime_email" {
  description = "Email of the Cloud Run runtime service account."
  value       = google_service_account.api_runtime.email
}

output "ci_deployer_email" {
  description = "Email of the CI deployer service account."
  value       = google_service_account.ci_deployer.email
}

output "ci_deployer_name" {
  description = "Full resource name of the CI deployer service account (projects/PROJECT/serviceAccounts/EMAIL), for service-account-level IAM."
  value       = google_service_account.ci_deployer.name
}

output "training_email" {
  description = "Email of the training service account."
  value       = google_service_account.training.email
}

output "drift_monitor_email" {
  description = "Email of the drift monitor service account."
  value       = google_service_account.drift_monitor.email
}

output "service_account_emails" {
  description = "Emails of the four service accounts, by stable key."
  value       = local.service_account_emails
}
