variable "name" {
  description = "Name of the cluster, service, task family and prefix of related resources."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target group."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of the load balancer."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Subnets of the app tasks."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "app_security_group_id" {
  description = "Security group of the app tasks."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS; null serves plain HTTP on port 80."
  type        = string
  default     = null
}

variable "image_repository_url" {
  description = "ECR repository URL of the app image."
  type        = string
}

variable "image_tag" {
  description = "Tag of the image to run."
  type        = string
}

variable "container_port" {
  description = "Port the app listens on (PORT)."
  type        = number
}

variable "cpu" {
  description = "Fargate task CPU units."
  type        = number
}

variable "memory" {
  description = "Fargate task memory in MiB."
  type        = number
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64; must match the platform the image was built for."
  type        = string
}

variable "desired_count" {
  description = "Number of tasks to keep running."
  type        = number
}

variable "min_capacity" {
  description = "Fewest tasks autoscaling keeps."
  type        = number
}

variable "max_capacity" {
  description = "Most tasks autoscaling starts."
  type        = number
}

variable "cpu_target" {
  description = "Average CPU utilization (percent) to track."
  type        = number
}

variable "environment" {
  description = "Plain environment variables of the app."
  type        = map(string)
}

variable "secret_names" {
  description = "Environment variables of the app that are read from Secrets Manager."
  type        = list(string)
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can be restored (0 deletes at once)."
  type        = number
}

variable "db_host" {
  description = "Database host name."
  type        = string
}

variable "db_port" {
  description = "Database port."
  type        = number
}

variable "db_name" {
  description = "Database name."
  type        = string
}

variable "db_sslmode" {
  description = "sslmode added to DATABASE_URL."
  type        = string
}

variable "db_secret_arn" {
  description = "RDS-managed secret holding the database username and password."
  type        = string
}

variable "log_retention_days" {
  description = "Days to keep the app logs."
  type        = number
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights on the cluster."
  type        = bool
}
