# Alerting for the CT-scan API: one e-mail channel and P0-P2 alert policies.
#
# Severity model
#   P0  CRITICAL  the API is failing its users now; always enabled.
#   P1  ERROR     degradation that will become an outage; shadow mode can switch it off.
#   P2  WARNING   trends worth a look in working hours; shadow mode can switch it off.
#
# Shadow mode (var.shadow_mode = true) sets enabled = false on every P1 and P2 policy while the
# P0 policies stay enabled, so new thresholds can be introduced without paging anyone.
#
# Seven policies are live. Four more (model-quality alerts on custom metrics that the drift
# monitor and the API only start writing in a later phase) are declared behind
# var.enable_planned_alerts, which is off where those metrics do not exist yet.
#
# Every policy's documentation points at its runbook in infrastructure/terraform/runbooks/.

locals {
  p1_p2_enabled = var.shadow_mode ? false : true

  run_revision_filter = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${var.service_name}\""
  request_filter      = "${local.run_revision_filter} AND metric.type = \"run.googleapis.com/request_count\""
}

resource "google_monitoring_notification_channel" "email" {
  project      = var.project_id
  display_name = "CT-scan on-call e-mail (${var.environment})"
  description  = "Receives every CT-scan alert of the ${var.environment} environment."
  type         = "email"
  enabled      = true

  labels = {
    email_address = var.notification_email
  }

  user_labels = merge(var.labels, { component = "monitoring" })
}

# ---------------------------------------------------------------------------------------------
# P0: always enabled
# ---------------------------------------------------------------------------------------------

resource "google_monitoring_alert_policy" "api_error_rate" {
  project               = var.project_id
  display_name          = "[P0] CT-scan API 5xx ratio (${var.environment})"
  combiner              = "OR"
  enabled               = true
  severity              = "CRITICAL"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p0", runbook = "api-error-rate" })

  conditions {
    display_name = "5xx responses above the error-ratio threshold for 5 minutes"
    condition_threshold {
      filter             = "${local.request_filter} AND metric.labels.response_code_class = \"5xx\""
      denominator_filter = local.request_filter
      comparison         = "COMPARISON_GT"
      threshold_value    = var.error_ratio_threshold
      duration           = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
      denominator_aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    subject   = "[P0] CT-scan API is returning server errors (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/api-error-rate.md\n\nMore than the allowed share of requests to ${var.service_name} in ${var.environment} end in 5xx. Callers are getting no classifications."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "api_latency_critical" {
  project               = var.project_id
  display_name          = "[P0] CT-scan API p95 latency critical (${var.environment})"
  combiner              = "OR"
  enabled               = true
  severity              = "CRITICAL"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p0", runbook = "api-latency" })

  conditions {
    display_name = "p95 request latency above the critical threshold for 5 minutes"
    condition_threshold {
      filter          = "${local.run_revision_filter} AND metric.type = \"run.googleapis.com/request_latencies\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.latency_critical_ms
      duration        = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_PERCENTILE_95"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = ["resource.label.service_name"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    subject   = "[P0] CT-scan API latency is critical (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/api-latency.md\n\nThe 95th percentile latency of ${var.service_name} in ${var.environment} is above the critical threshold; clients are timing out."
    mime_type = "text/markdown"
  }
}

# ---------------------------------------------------------------------------------------------
# P1: enabled = false in shadow mode
# ---------------------------------------------------------------------------------------------

resource "google_monitoring_alert_policy" "api_latency_high" {
  project               = var.project_id
  display_name          = "[P1] CT-scan API p95 latency high (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "ERROR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p1", runbook = "api-latency" })

  conditions {
    display_name = "p95 request latency above the warning threshold for 10 minutes"
    condition_threshold {
      filter          = "${local.run_revision_filter} AND metric.type = \"run.googleapis.com/request_latencies\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.latency_high_ms
      duration        = "600s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_PERCENTILE_95"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = ["resource.label.service_name"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "3600s"
  }

  documentation {
    subject   = "[P1] CT-scan API latency is high (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/api-latency.md\n\nThe 95th percentile latency of ${var.service_name} in ${var.environment} has been above the warning threshold for 10 minutes."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "memory_utilization" {
  project               = var.project_id
  display_name          = "[P1] CT-scan API memory utilisation (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "ERROR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p1", runbook = "memory-utilization" })

  conditions {
    display_name = "p99 container memory utilisation above the threshold for 5 minutes"
    condition_threshold {
      filter          = "${local.run_revision_filter} AND metric.type = \"run.googleapis.com/container/memory/utilizations\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.memory_utilization_threshold
      duration        = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_PERCENTILE_99"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = ["resource.label.service_name"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "3600s"
  }

  documentation {
    subject   = "[P1] CT-scan API memory is running out (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/memory-utilization.md\n\nInstances of ${var.service_name} in ${var.environment} use more than the memory threshold of their limit. An instance that reaches the limit is killed mid-request."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "cpu_utilization" {
  project               = var.project_id
  display_name          = "[P1] CT-scan API CPU utilisation (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "ERROR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p1", runbook = "cpu-and-scaling" })

  conditions {
    display_name = "p99 container CPU utilisation above the threshold for 10 minutes"
    condition_threshold {
      filter          = "${local.run_revision_filter} AND metric.type = \"run.googleapis.com/container/cpu/utilizations\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.cpu_utilization_threshold
      duration        = "600s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_PERCENTILE_99"
        cross_series_reducer = "REDUCE_MAX"
        group_by_fields      = ["resource.label.service_name"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "3600s"
  }

  documentation {
    subject   = "[P1] CT-scan API CPU is saturated (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/cpu-and-scaling.md\n\nInstances of ${var.service_name} in ${var.environment} have been above the CPU threshold for 10 minutes; inference is queueing."
    mime_type = "text/markdown"
  }
}

# ---------------------------------------------------------------------------------------------
# P2: enabled = false in shadow mode
# ---------------------------------------------------------------------------------------------

resource "google_monitoring_alert_policy" "instance_saturation" {
  project               = var.project_id
  display_name          = "[P2] CT-scan API near max instances (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "WARNING"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p2", runbook = "cpu-and-scaling" })

  conditions {
    display_name = "Instance count at or above the saturation threshold for 15 minutes"
    condition_threshold {
      filter          = "${local.run_revision_filter} AND metric.type = \"run.googleapis.com/container/instance_count\""
      comparison      = "COMPARISON_GE"
      threshold_value = var.instance_count_threshold
      duration        = "900s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "3600s"
  }

  documentation {
    subject   = "[P2] CT-scan API is close to its instance limit (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/cpu-and-scaling.md\n\n${var.service_name} in ${var.environment} has run near its maximum instance count for 15 minutes. Further load will be rejected with 429."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "client_error_rate" {
  project               = var.project_id
  display_name          = "[P2] CT-scan API 4xx ratio (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "WARNING"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p2", runbook = "api-error-rate" })

  conditions {
    display_name = "4xx responses above the client-error-ratio threshold for 15 minutes"
    condition_threshold {
      filter             = "${local.request_filter} AND metric.labels.response_code_class = \"4xx\""
      denominator_filter = local.request_filter
      comparison         = "COMPARISON_GT"
      threshold_value    = var.client_error_ratio_threshold
      duration           = "900s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "3600s"
  }

  documentation {
    subject   = "[P2] Many rejected CT-scan requests (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/api-error-rate.md\n\nA large share of requests to ${var.service_name} in ${var.environment} end in 4xx: a client is sending bad uploads, or is not authorised."
    mime_type = "text/markdown"
  }
}

# ---------------------------------------------------------------------------------------------
# Planned model-quality alerts (Phase 5-6): count = 0 unless var.enable_planned_alerts.
# They read custom metrics that exist only once the drift monitor and the API's metrics
# endpoint are deployed; the Monitoring API rejects a policy on a metric that does not exist.
# All four are P1/P2, so they arrive in shadow mode while var.shadow_mode is true.
# ---------------------------------------------------------------------------------------------

resource "google_monitoring_alert_policy" "prediction_drift" {
  count = var.enable_planned_alerts ? 1 : 0

  project               = var.project_id
  display_name          = "[P1] CT-scan prediction drift (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "ERROR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p1", runbook = "model-drift" })

  conditions {
    display_name = "Prediction drift score above the threshold"
    condition_threshold {
      filter          = "resource.type = \"global\" AND metric.type = \"custom.googleapis.com/ct_scan/prediction_drift_score\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.prediction_drift_threshold
      duration        = "0s"
      aggregations {
        alignment_period   = "3600s"
        per_series_aligner = "ALIGN_MAX"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    subject   = "[P1] CT-scan predictions have drifted (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/model-drift.md\n\nThe distribution of predicted classes in ${var.environment} differs from the reference window by more than the drift threshold."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "low_confidence_rate" {
  count = var.enable_planned_alerts ? 1 : 0

  project               = var.project_id
  display_name          = "[P1] CT-scan low-confidence predictions (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "ERROR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p1", runbook = "model-quality" })

  conditions {
    display_name = "Share of low-confidence predictions above the threshold for 30 minutes"
    condition_threshold {
      filter          = "resource.type = \"global\" AND metric.type = \"custom.googleapis.com/ct_scan/low_confidence_ratio\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.low_confidence_ratio_threshold
      duration        = "1800s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MEAN"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    subject   = "[P1] CT-scan model is unsure of many predictions (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/model-quality.md\n\nMore than the allowed share of predictions in ${var.environment} fall below the confidence cut-off."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "input_drift" {
  count = var.enable_planned_alerts ? 1 : 0

  project               = var.project_id
  display_name          = "[P2] CT-scan input data drift (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "WARNING"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p2", runbook = "model-drift" })

  conditions {
    display_name = "Input feature drift score above the threshold"
    condition_threshold {
      filter          = "resource.type = \"global\" AND metric.type = \"custom.googleapis.com/ct_scan/input_drift_score\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.input_drift_threshold
      duration        = "0s"
      aggregations {
        alignment_period   = "3600s"
        per_series_aligner = "ALIGN_MAX"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    subject   = "[P2] CT-scan input images have drifted (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/model-drift.md\n\nImage statistics of recent requests in ${var.environment} differ from the training data by more than the drift threshold."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "drift_monitor_stale" {
  count = var.enable_planned_alerts ? 1 : 0

  project               = var.project_id
  display_name          = "[P2] CT-scan drift monitor stopped reporting (${var.environment})"
  combiner              = "OR"
  enabled               = local.p1_p2_enabled
  severity              = "WARNING"
  notification_channels = [google_monitoring_notification_channel.email.id]
  user_labels           = merge(var.labels, { severity = "p2", runbook = "model-drift" })

  conditions {
    display_name = "No completed drift check within the expected interval"
    condition_absent {
      filter   = "resource.type = \"global\" AND metric.type = \"custom.googleapis.com/ct_scan/drift_check_completed\""
      duration = var.drift_check_absent_duration
      aggregations {
        alignment_period   = "600s"
        per_series_aligner = "ALIGN_COUNT"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    subject   = "[P2] CT-scan drift monitor is silent (${var.environment})"
    content   = "Runbook: ${var.runbook_base_url}/model-drift.md\n\nThe drift monitor in ${var.environment} has not reported a completed check; drift alerts cannot fire while it is down."
    mime_type = "text/markdown"
  }
}
