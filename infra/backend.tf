# State lives in GitLab's managed Terraform state (configured by CI through the TF_HTTP_* variables,
# see .gitlab-ci.yml). Locally: `terraform init -backend=false` to validate, or export the same
# TF_HTTP_* variables with a personal access token to plan.
terraform {
  backend "http" {}
}
