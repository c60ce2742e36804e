# Terraform state lives in S3, encrypted and locked, so a team (and CI) share one
# state. A backend block cannot read variables, so this is a partial configuration:
# copy backend.hcl.example to backend.hcl, set your bucket, then
#   terraform init -backend-config=backend.hcl
# (deploy.sh passes it when backend.hcl exists). To try the stack with local state,
# delete this file before terraform init.
terraform {
  backend "s3" {}
}
