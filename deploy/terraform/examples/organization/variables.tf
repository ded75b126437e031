variable "region" {
  description = "The region of the collector (the store, Athena, the schedules)."
  type        = string
  default     = "eu-west-1"
}

variable "bucket_name" {
  description = "The store bucket (globally unique)."
  type        = string
}

variable "image" {
  description = "The cloudinv image in your registry."
  type        = string
}

variable "external_id" {
  description = "The external id the member roles require."
  type        = string
}

variable "shards" {
  description = "ECS tasks per collection."
  type        = number
  default     = 2
}

variable "subnet_ids" {
  description = "Private subnets with outbound HTTPS for the tasks."
  type        = list(string)
}

variable "vpc_id" {
  description = "The VPC of the subnets."
  type        = string
}

variable "organizational_unit_ids" {
  description = "The OUs (or the root id, r-xxxx) whose accounts get the member role."
  type        = list(string)
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
