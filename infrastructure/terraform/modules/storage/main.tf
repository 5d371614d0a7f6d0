# Storage for the CT-scan MLOps stack: four buckets.
#
# Every bucket shares the same safety settings:
#   - force_destroy = false: Terraform refuses to delete a bucket that still holds objects.
#   - uniform_bucket_level_access = true: access is granted through IAM only, never object ACLs.
#   - public_access_prevention = "enforced": no principal outside the organisation can be granted access.
#
# The state, DVC and models buckets are versioned. The models and state buckets also carry
# prevent_destroy, so a plan that would destroy them fails before it reaches apply.

resource "google_storage_bucket" "tfstate" {
  project                     = var.project_id
  name                        = "${var.project_id}-tfstate"
  location                    = var.location
  storage_class               = "STANDARD"
  force_destroy               = false
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  # Keep the last few superseded state files for rollback; older ones go.
  lifecycle_rule {
    condition {
      num_newer_versions = var.state_noncurrent_versions
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  labels = merge(var.labels, { component = "terraform-state" })

  # The bucket holds the state of the stack that manages it. It was created by hand before the
  # first `terraform init` and then imported; losing it would orphan every resource.
  lifecycle {
    prevent_destroy = true
  }
}

resource "google_storage_bucket" "dvc" {
  project                     = var.project_id
  name                        = "${var.project_id}-dvc"
  location                    = var.location
  storage_class               = "STANDARD"
  force_destroy               = false
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # DVC stores content-addressed objects; versioning protects against an accidental `dvc gc -c`.
  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.dvc_noncurrent_retention_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  labels = merge(var.labels, { component = "dvc-data" })
}

resource "google_storage_bucket" "models" {
  project = var.project_id
  name    = "${var.project_id}-models"
  # The models bucket predates Terraform and was created in a different location from the other
  # buckets. Moving a bucket means recreating it, so the configuration follows the live location.
  location                    = var.models_bucket_location
  storage_class               = "STANDARD"
  force_destroy               = false
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = var.models_noncurrent_versions
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  labels = merge(var.labels, { component = "models" })

  # Serving reads the model artefacts from here; a destroy must never be planned.
  lifecycle {
    prevent_destroy = true
  }
}

resource "google_storage_bucket" "drift_logs" {
  project                     = var.project_id
  name                        = "${var.project_id}-drift-logs"
  location                    = var.location
  storage_class               = "STANDARD"
  force_destroy               = false
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # Drift reports are append-only and reproducible from Firestore, so they are not versioned;
  # they expire after the retention period instead.
  lifecycle_rule {
    condition {
      age = var.drift_log_retention_days
    }
    action {
      type = "Delete"
    }
  }

  labels = merge(var.labels, { component = "drift-logs" })
}
