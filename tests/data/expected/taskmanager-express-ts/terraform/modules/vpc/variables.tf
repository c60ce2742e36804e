variable "name" {
  description = "Prefix for the names and Name tags of the network resources."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC; subnets are /24 slices of it (needs /16 or larger)."
  type        = string
}

variable "azs" {
  description = "Availability zones to spread the subnets across (at least two, for the load balancer and RDS)."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2
    error_message = "At least two availability zones are needed."
  }
}
