# Docker repository for the CT-scan images (API and training), with cleanup policies and
# repository-level IAM. Access is granted on the repository, not the project, so no identity
# can read or push images in any other repository.

# The project number is needed to name the Cloud Run service agent, the identity that pulls
# images when a revision starts (the runtime service account does not pull images).
data "google_project" "this" {
  project_id = var.project_id
}

resource "google_artifact_registry_repository" "docker" {
  project       = var.project_id
  location      = var.region
  repository_id = var.repository_id
  description   = "Docker images of the CT-scan classification API and training jobs"
  format        = "DOCKER"

  cleanup_policy_dry_run = false

  # Untagged images (superseded builds) are deleted once they are older than the retention
  # period. The API accepts durations only in seconds form, e.g. "2592000s" for 30 days.
  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = var.untagged_retention
    }
  }

  # Whatever the other policy says, the most recent versions of each image stay available for
  # rollback. KEEP policies win over DELETE policies.
  cleanup_policies {
    id     = "keep-most-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.keep_recent_versions
    }
  }

  labels = merge(var.labels, { component = "container-images" })
}

# CI builds and pushes images.
resource "google_artifact_registry_repository_iam_member" "ci_deployer_writer" {
  project    = var.project_id
  location   = var.region
  repository = google_artifact_registry_repository.docker.repository_id
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${var.ci_deployer_email}"
}

# Cloud Run pulls the API image with its service agent when a revision starts.
resource "google_artifact_registry_repository_iam_member" "cloud_run_agent_reader" {
  project    = var.project_id
  location   = var.region
  repository = google_artifact_registry_repository.docker.repository_id
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:service-${data.google_project.this.number}@serverless-robot-prod.iam.gserviceaccount.com"
}

# Training runs pull the training image with the training service account.
resource "google_artifact_registry_repository_iam_member" "training_reader" {
  project    = var.project_id
  location   = var.region
  repository = google_artifact_registry_repository.docker.repository_id
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${var.training_email}"
}
