output "aws_region" {
  description = "Region the stack runs in."
  value       = var.region
}

output "alb_dns_name" {
  description = "Public DNS name of the load balancer."
  value       = module.ecs.alb_dns_name
}

output "app_url" {
  description = "Base URL of the API."
  value       = "${var.certificate_arn == null ? "http" : "https"}://${module.ecs.alb_dns_name}"
}

output "ecr_repository_url" {
  description = "ECR repository to push the app image to."
  value       = module.ecr.repository_url
}

output "image_tag" {
  description = "Image tag the service runs."
  value       = var.image_tag
}

output "image_platform" {
  description = "Docker platform to build the image for (matches cpu_architecture)."
  value       = var.cpu_architecture == "ARM64" ? "linux/arm64" : "linux/amd64"
}

output "rds_endpoint" {
  description = "host:port of the PostgreSQL instance."
  value       = module.rds.endpoint
}

output "rds_master_user_secret_arn" {
  description = "Secrets Manager secret with the database username and password."
  value       = module.rds.master_user_secret_arn
}

output "ecs_cluster_name" {
  description = "ECS cluster of the app."
  value       = module.ecs.cluster_name
}

output "ecs_service_name" {
  description = "ECS service of the app."
  value       = module.ecs.service_name
}

output "log_group_name" {
  description = "CloudWatch log group of the app."
  value       = module.ecs.log_group_name
}

output "app_secret_arns" {
  description = "Space-separated ARNs of the app's secrets (read by deploy.sh)."
  value       = join(" ", values(module.ecs.app_secret_arns))
}
