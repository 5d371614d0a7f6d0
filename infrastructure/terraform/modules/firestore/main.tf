# Firestore (native mode): the prediction log that replaces the API's SQLite file, read by the
# drift monitor.
#
# Two independent guards against data loss:
#   - delete_protection_state = DELETE_PROTECTION_ENABLED: the API itself refuses deletion.
#   - deletion_policy = ABANDON: if the resource leaves the configuration, Terraform only forgets
#     it; the database stays.

resource "google_firestore_database" "main" {
  project                           = var.project_id
  name                              = var.database_name
  location_id                       = var.location_id
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "OPTIMISTIC"
  app_engine_integration_mode       = "DISABLED"
  point_in_time_recovery_enablement = var.point_in_time_recovery ? "POINT_IN_TIME_RECOVERY_ENABLED" : "POINT_IN_TIME_RECOVERY_DISABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON"
}

# Drift monitor: predictions of one model version, newest first.
resource "google_firestore_index" "predictions_by_model_version" {
  project     = var.project_id
  database    = google_firestore_database.main.name
  collection  = var.predictions_collection
  query_scope = "COLLECTION"

  fields {
    field_path = "model_version"
    order      = "ASCENDING"
  }

  fields {
    field_path = "created_at"
    order      = "DESCENDING"
  }
}

# Class-balance reports: predictions of one class, newest first.
resource "google_firestore_index" "predictions_by_class" {
  project     = var.project_id
  database    = google_firestore_database.main.name
  collection  = var.predictions_collection
  query_scope = "COLLECTION"

  fields {
    field_path = "predicted_class"
    order      = "ASCENDING"
  }

  fields {
    field_path = "created_at"
    order      = "DESCENDING"
  }
}

# Prediction records expire at the time the API writes into expire_at (data minimisation for
# medical inputs). The empty index_config turns off single-field indexing of the TTL timestamp,
# which would otherwise create a write hot spot.
resource "google_firestore_field" "predictions_expire_at" {
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = var.predictions_collection
  field      = "expire_at"

  ttl_config {}

  index_config {}
}
