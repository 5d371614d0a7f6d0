# Monthly budget for the project, with early-warning thresholds and machine-readable
# notifications on a Pub/Sub topic.

# The Budget API stores the project filter as projects/NUMBER; giving the project ID instead
# makes every plan show a perpetual diff.
data "google_project" "this" {
  project_id = var.project_id
}

# Fails the plan, rather than the apply, if the billing account ID is wrong or the account is
# closed, and yields the ID in the canonical form the Budget API returns.
data "google_billing_account" "this" {
  billing_account = var.billing_account_id
  open            = true
}

resource "google_pubsub_topic" "budget_alerts" {
  project                    = var.project_id
  name                       = var.pubsub_topic_name
  message_retention_duration = "604800s"

  labels = merge(var.labels, { component = "budget" })
}

resource "google_billing_budget" "monthly" {
  billing_account = data.google_billing_account.this.id
  display_name    = "${var.project_id} monthly"

  budget_filter {
    projects               = ["projects/${data.google_project.this.number}"]
    calendar_period        = "MONTH"
    credit_types_treatment = "INCLUDE_ALL_CREDITS"
  }

  amount {
    specified_amount {
      currency_code = var.currency_code
      units         = var.amount
    }
  }

  # 25 % is the early warning; 50 % and 90 % track the month; 100 % means the budget is spent.
  threshold_rules {
    threshold_percent = 0.25
    spend_basis       = "CURRENT_SPEND"
  }

  threshold_rules {
    threshold_percent = 0.5
    spend_basis       = "CURRENT_SPEND"
  }

  threshold_rules {
    threshold_percent = 0.9
    spend_basis       = "CURRENT_SPEND"
  }

  threshold_rules {
    threshold_percent = 1.0
    spend_basis       = "CURRENT_SPEND"
  }

  # Every budget update (several a day) is published to the topic; billing administrators keep
  # their e-mails at the thresholds.
  all_updates_rule {
    pubsub_topic                   = google_pubsub_topic.budget_alerts.id
    schema_version                 = "1.0"
    disable_default_iam_recipients = false
  }
}
