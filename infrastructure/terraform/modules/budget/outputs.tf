output "budget_name" {
  description = "Resource name of the budget (billingAccounts/ACCOUNT/budgets/ID)."
  value       = google_billing_budget.monthly.name
}

output "pubsub_topic_id" {
  description = "ID of the budget notification topic (projects/PROJECT/topics/NAME)."
  value       = google_pubsub_topic.budget_alerts.id
}

output "project_number" {
  description = "Project number, as read by the data source."
  value       = data.google_project.this.number
}
