# State of the staging environment: the project's own state bucket, one prefix per environment.
# Backend blocks cannot use variables. To point at another project, override at init time:
#   terraform init -backend-config="bucket=OTHER-PROJECT-tfstate"
# State locking is built into the gcs backend; the lock wait (5 minutes) is a CLI setting,
# passed by CI as -lock-timeout=5m (see docs/infrastructure.md).
terraform {
  backend "gcs" {
    bucket = "ct-scan-mlops-staging-tfstate"
    prefix = "terraform/state/staging"
  }
}
