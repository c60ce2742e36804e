variable "name" {
  description = "Identifier of the DB instance and its subnet group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the DB subnet group (two or more AZs)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group that admits PostgreSQL from the app only."
  type        = string
}

variable "db_name" {
  description = "Name of the database created on the instance."
  type        = string
}

variable "username" {
  description = "Master user name; its password is managed in Secrets Manager."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL version (a major version picks the latest minor)."
  type        = string
}

variable "instance_class" {
  description = "DB instance class."
  type        = string
}

variable "allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
}

variable "max_allocated_storage" {
  description = "Upper limit in GiB for storage autoscaling."
  type        = number
}

variable "multi_az" {
  description = "Run a standby replica in a second AZ."
  type        = bool
}

variable "backup_retention_days" {
  description = "Days to keep automated backups."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse to delete the instance until this is turned off."
  type        = bool
}

variable "skip_final_snapshot" {
  description = "Delete without taking a final snapshot."
  type        = bool
}
