output "database_name" {
  description = "Database ID."
  value       = google_firestore_database.main.name
}

output "database_id" {
  description = "Full resource name of the database."
  value       = google_firestore_database.main.id
}

output "point_in_time_recovery_enablement" {
  description = "Point-in-time recovery setting of the database."
  value       = google_firestore_database.main.point_in_time_recovery_enablement
}
