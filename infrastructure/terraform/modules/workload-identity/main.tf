# Workload Identity Federation for GitHub Actions: CI authenticates with GitHub's OIDC token
# and impersonates the CI deployer service account. No service account key exists anywhere.
#
# Two locks keep other repositories out:
#   1. the provider's attribute_condition rejects tokens from any other repository, and
#   2. the impersonation grant names the repository in its principalSet.

# The principalSet member must name the pool by project number. Reading it here keeps the member
# string fully known at plan time, even when the pool is created in the same apply, so a plan
# gate can check the repository pin before anything is applied.
data "google_project" "this" {
  project_id = var.project_id
}

resource "google_iam_workload_identity_pool" "github" {
  project                   = var.project_id
  workload_identity_pool_id = var.pool_id
  display_name              = "GitHub Actions"
  description               = "Identities of GitHub Actions workflows of ${var.github_repository}"
  disabled                  = false
}

resource "google_iam_workload_identity_pool_provider" "github" {
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = var.provider_id
  display_name                       = "GitHub OIDC"
  description                        = "GitHub Actions OIDC tokens of ${var.github_repository}"

  attribute_mapping = {
    "google.subject"             = "assertion.sub"
    "attribute.actor"            = "assertion.actor"
    "attribute.repository"       = "assertion.repository"
    "attribute.repository_owner" = "assertion.repository_owner"
    "attribute.ref"              = "assertion.ref"
  }

  attribute_condition = "assertion.repository == \"${var.github_repository}\""

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account_iam_member" "ci_deployer_wif" {
  service_account_id = var.ci_deployer_service_account_name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/projects/${data.google_project.this.number}/locations/global/workloadIdentityPools/${google_iam_workload_identity_pool.github.workload_identity_pool_id}/attribute.repository/${var.github_repository}"
}
