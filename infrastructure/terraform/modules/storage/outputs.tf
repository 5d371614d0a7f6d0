output "tfstate_bucket_name" {
  description = "Name of the Terraform state bucket (the gcs backend points at it)."
  value       = google_storage_bucket.tfstate.name
}

output "dvc_bucket_name" {
  description = "Name of the DVC remote bucket."
  value       = google_storage_bucket.dvc.name
}

output "models_bucket_name" {
  description = "Name of the models bucket that serving reads from."
  value       = google_storage_bucket.models.name
}

output "drift_logs_bucket_name" {
  description = "Name of the drift-log bucket."
  value       = google_storage_bucket.drift_logs.name
}

output "bucket_urls" {
  description = "gs:// URLs of the four buckets, by purpose."
  value = {
    tfstate    = google_storage_bucket.tfstate.url
    dvc        = google_storage_bucket.dvc.url
    models     = google_storage_bucket.models.url
    drift_logs = google_storage_bucket.drift_logs.url
  }
}
