# ---------------------------------------------------------------- general

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "app_name" {
  description = "Name of the application; prefixes every resource name."
  type        = string
  default     = "task-manager"

  validation {
    # RDS identifiers must start with a letter; load balancer names allow only
    # letters, digits and hyphens.
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.app_name))
    error_message = "app_name must start with a lowercase letter and contain only a-z, 0-9 and '-' (at most 31 characters)."
  }
}

variable "environment" {
  description = "Deployment stage (prod, staging, ...); part of every resource name."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z0-9-]{1,16}$", var.environment))
    error_message = "environment must be 1-16 characters of a-z, 0-9 and '-'."
  }
}

variable "tags" {
  description = "Extra tags added to every resource."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------- network

variable "vpc_cidr" {
  description = "CIDR block of the VPC (/16 recommended)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "allowed_ingress_cidr" {
  description = "IPv4 range allowed to reach the load balancer."
  type        = string
  default     = "0.0.0.0/0"
}

variable "certificate_arn" {
  description = "ACM certificate ARN: HTTPS on 443 and port 80 redirects to it. Null or empty serves plain HTTP (terraform plan warns)."
  type        = string
  default     = null
}

# ---------------------------------------------------------------- app (ECS Fargate)

# No default on purpose: a plain `terraform apply` must not silently switch the
# service to some other image. deploy.sh passes the tag it pushed.
variable "image_tag" {
  description = "Tag of the image in ECR to run (see the image_tag output for the one deployed)."
  type        = string
}

variable "container_port" {
  description = "Port the app listens on."
  type        = number
  default     = 3000
}

variable "task_cpu" {
  description = "CPU units per task (256 = 0.25 vCPU)."
  type        = number
  default     = 256
}

variable "task_memory" {
  description = "Memory per task in MiB (must be valid for task_cpu on Fargate)."
  type        = number
  default     = 512
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (Graviton, cheaper); deploy.sh builds the image for it."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "desired_count" {
  description = "Number of app tasks at the first deploy; autoscaling owns the count afterwards."
  type        = number
  default     = 2
}

variable "autoscaling_min_capacity" {
  description = "Fewest app tasks autoscaling keeps (2 or more keeps one per availability zone)."
  type        = number
  default     = 2
}

variable "autoscaling_max_capacity" {
  description = "Most app tasks autoscaling starts."
  type        = number
  default     = 6

  validation {
    condition     = var.autoscaling_max_capacity >= 1
    error_message = "autoscaling_max_capacity must be at least 1."
  }
}

variable "autoscaling_cpu_target" {
  description = "Average CPU utilization (percent) autoscaling keeps the service at."
  type        = number
  default     = 60

  validation {
    condition     = var.autoscaling_cpu_target > 0 && var.autoscaling_cpu_target <= 100
    error_message = "autoscaling_cpu_target must be a percentage from 1 to 100."
  }
}

variable "app_environment" {
  description = "Plain (non-secret) environment variables of the app."
  type        = map(string)
  default = {
    "TRUST_PROXY"                   = "1"
    "KEEP_ALIVE_TIMEOUT_MS"         = "65000"
    "HEADERS_TIMEOUT_MS"            = "66000"
    "DATABASE_SSL"                  = "verify-full"
    "DATABASE_POOL_MAX"             = "10"
    "DATABASE_STATEMENT_TIMEOUT_MS" = "15000"
    "DATABASE_IDLE_TX_TIMEOUT_MS"   = "60000"
    "LOG_LEVEL"                     = "info"
    "CORS_ORIGINS"                  = ""
    "DOCS_ENABLED"                  = "false"
    "JSON_BODY_LIMIT"               = "100kb"
    "JWT_EXPIRES_IN"                = "15m"
    "REFRESH_TOKEN_TTL"             = "30d"
    "SCRYPT_COST"                   = "15"
    "REDIS_URL"                     = ""
    "RATE_LIMIT_GLOBAL"             = "1000/1m"
    "RATE_LIMIT_AUTH_IP"            = "100/15m"
    "RATE_LIMIT_AUTH_ACCOUNT"       = "10/15m"
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted app secret can be restored; 0 deletes at once so the name can be reused."
  type        = number
  default     = 7
}

variable "log_retention_days" {
  description = "Days to keep the app logs in CloudWatch."
  type        = number
  default     = 30
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights (extra cost)."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------- image registry (ECR)

variable "ecr_image_tag_mutability" {
  description = "MUTABLE or IMMUTABLE; with IMMUTABLE every deploy needs a new IMAGE_TAG."
  type        = string
  default     = "MUTABLE"
}

variable "ecr_max_image_count" {
  description = "How many images ECR keeps (older ones expire)."
  type        = number
  default     = 20
}

variable "ecr_force_delete" {
  description = "Let terraform destroy delete the repository even if it holds images."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------- database (RDS PostgreSQL)

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = "task_manager"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must start with a letter and contain only letters, digits and '_'."
  }
}

variable "db_username" {
  description = "Master user of the database; RDS keeps its password in Secrets Manager."
  type        = string
  default     = "app"
}

variable "db_engine_version" {
  description = "PostgreSQL major (or major.minor) version."
  type        = string
  default     = "16"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_allocated_storage" {
  description = "Initial database storage in GiB."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling limit in GiB."
  type        = number
  default     = 100
}

variable "db_multi_az" {
  description = "Keep a standby in a second availability zone (failover in minutes; doubles the database cost). Set false for a test stack."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (0 disables them)."
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "Protect the database from deletion; set to false before terraform destroy."
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot when the database is deleted."
  type        = bool
  default     = false
}

variable "db_sslmode" {
  description = "sslmode the container entrypoint appends to DATABASE_URL; empty appends none and leaves TLS to the app's own setting. RDS for PostgreSQL 15+ requires TLS."
  type        = string
  default     = ""
}
