output "notification_channel_id" {
  description = "ID of the e-mail notification channel."
  value       = google_monitoring_notification_channel.email.id
}

output "alert_policy_ids" {
  description = "IDs of the seven live alert policies, by resource name."
  value = {
    api_error_rate       = google_monitoring_alert_policy.api_error_rate.id
    api_latency_critical = google_monitoring_alert_policy.api_latency_critical.id
    api_latency_high     = google_monitoring_alert_policy.api_latency_high.id
    memory_utilization   = google_monitoring_alert_policy.memory_utilization.id
    cpu_utilization      = google_monitoring_alert_policy.cpu_utilization.id
    instance_saturation  = google_monitoring_alert_policy.instance_saturation.id
    client_error_rate    = google_monitoring_alert_policy.client_error_rate.id
  }
}

output "p1_p2_enabled" {
  description = "Whether P1 and P2 policies are enabled (false in shadow mode)."
  value       = local.p1_p2_enabled
}

output "planned_alerts_enabled" {
  description = "Whether the four planned model-quality policies are declared."
  value       = var.enable_planned_alerts
}
