output "pool_name" {
  description = "Full resource name of the pool."
  value       = google_iam_workload_identity_pool.github.name
}

output "provider_name" {
  description = "Full resource name of the provider: the value of `workload_identity_provider` in the google-github-actions/auth step."
  value       = "projects/${data.google_project.this.number}/locations/global/workloadIdentityPools/${google_iam_workload_identity_pool.github.workload_identity_pool_id}/providers/${google_iam_workload_identity_pool_provider.github.workload_identity_pool_provider_id}"
}

output "principal_set" {
  description = "The principalSet granted roles/iam.workloadIdentityUser on the CI deployer."
  value       = google_service_account_iam_member.ci_deployer_wif.member
}
