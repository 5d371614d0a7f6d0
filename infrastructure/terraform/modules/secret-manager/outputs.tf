output "wandb_api_key_secret_id" {
  description = "Secret ID of the experiment-tracker API key (for Cloud Run secret_key_ref)."
  value       = google_secret_manager_secret.wandb_api_key.secret_id
}

output "alert_webhook_secret_id" {
  description = "Secret ID of the drift-alert webhook URL."
  value       = google_secret_manager_secret.alert_webhook.secret_id
}

output "secret_names" {
  description = "Full resource names of the secrets, by purpose."
  value = {
    wandb_api_key = google_secret_manager_secret.wandb_api_key.name
    alert_webhook = google_secret_manager_secret.alert_webhook.name
  }
}
