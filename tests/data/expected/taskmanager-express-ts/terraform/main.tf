# Task Manager on AWS: VPC, security groups, RDS PostgreSQL, ECR and an
# ECS Fargate service behind an application load balancer.
# See README.md in this folder for the deployment steps.

terraform {
  # 1.10: the S3 backend's own state locking (use_lockfile, see backend.hcl.example).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, {
      Application = var.app_name
      Environment = var.environment
      ManagedBy   = "terraform"
    })
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name = "${var.app_name}-${var.environment}"
  # Two zones: the minimum for an application load balancer and an RDS subnet group.
  azs = slice(data.aws_availability_zones.available.names, 0, 2)
  # Settings the app reads from Secrets Manager; deploy.sh fills in their values.
  app_secret_names = ["JWT_SECRET"]
}

module "vpc" {
  source = "./modules/vpc"

  name       = local.name
  cidr_block = var.vpc_cidr
  azs        = local.azs
}

module "security" {
  source = "./modules/security"

  name           = local.name
  vpc_id         = module.vpc.vpc_id
  container_port = var.container_port
  ingress_cidr   = var.allowed_ingress_cidr
}

module "rds" {
  source = "./modules/rds"

  name                  = local.name
  subnet_ids            = module.vpc.private_subnet_ids
  security_group_id     = module.security.db_security_group_id
  db_name               = var.db_name
  username              = var.db_username
  engine_version        = var.db_engine_version
  instance_class        = var.db_instance_class
  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  multi_az              = var.db_multi_az
  backup_retention_days = var.db_backup_retention_days
  deletion_protection   = var.db_deletion_protection
  skip_final_snapshot   = var.db_skip_final_snapshot
}

module "ecr" {
  source = "./modules/ecr"

  name                 = local.name
  image_tag_mutability = var.ecr_image_tag_mutability
  max_image_count      = var.ecr_max_image_count
  force_delete         = var.ecr_force_delete
}

module "ecs" {
  source = "./modules/ecs"

  name                  = local.name
  vpc_id                = module.vpc.vpc_id
  public_subnet_ids     = module.vpc.public_subnet_ids
  private_subnet_ids    = module.vpc.private_subnet_ids
  alb_security_group_id = module.security.alb_security_group_id
  app_security_group_id = module.security.app_security_group_id
  certificate_arn       = var.certificate_arn

  image_repository_url = module.ecr.repository_url
  image_tag            = var.image_tag
  container_port       = var.container_port
  cpu                  = var.task_cpu
  memory               = var.task_memory
  cpu_architecture     = var.cpu_architecture
  desired_count        = var.desired_count
  min_capacity         = var.autoscaling_min_capacity
  max_capacity         = var.autoscaling_max_capacity
  cpu_target           = var.autoscaling_cpu_target

  environment                 = var.app_environment
  secret_names                = local.app_secret_names
  secret_recovery_window_days = var.secret_recovery_window_days

  db_host       = module.rds.address
  db_port       = module.rds.port
  db_name       = module.rds.db_name
  db_sslmode    = var.db_sslmode
  db_secret_arn = module.rds.master_user_secret_arn

  log_retention_days = var.log_retention_days
  container_insights = var.container_insights
}

# A warning, not an error, in every plan: without a certificate the load balancer
# serves the API over plain HTTP.
check "https" {
  assert {
    condition     = try(length(var.certificate_arn) > 0, false)
    error_message = "certificate_arn is empty: the API is served over plain HTTP. Set an ACM certificate ARN for HTTPS."
  }
}
