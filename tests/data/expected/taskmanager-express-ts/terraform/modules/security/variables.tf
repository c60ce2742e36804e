variable "name" {
  description = "Prefix for the security group names."
  type        = string
}

variable "vpc_id" {
  description = "VPC the security groups belong to."
  type        = string
}

variable "container_port" {
  description = "Port the app container listens on."
  type        = number
}

variable "ingress_cidr" {
  description = "IPv4 range allowed to reach the load balancer."
  type        = string
}
