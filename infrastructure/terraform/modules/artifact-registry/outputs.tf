output "repository_id" {
  description = "Repository ID."
  value       = google_artifact_registry_repository.docker.repository_id
}

output "repository_name" {
  description = "Full resource name: projects/PROJECT/locations/REGION/repositories/ID."
  value       = google_artifact_registry_repository.docker.id
}

output "project_number" {
  description = "Project number, as read by the data source."
  value       = data.google_project.this.number
}
