output "service_name" {
  description = "Name of the Cloud Run service (used by the monitoring filters)."
  value       = google_cloud_run_v2_service.api.name
}

output "service_id" {
  description = "Full resource name of the service."
  value       = google_cloud_run_v2_service.api.id
}

output "service_uri" {
  description = "HTTPS URL of the service (callers need an identity token)."
  value       = google_cloud_run_v2_service.api.uri
}

output "location" {
  description = "Region of the service."
  value       = google_cloud_run_v2_service.api.location
}
