variable "role_name" {
  description = "The role's name; the collector assumes arn:aws:iam::<account>:role/<role_name>."
  type        = string
  default     = "CloudInventoryReader"
}

variable "collector_role_arn" {
  description = "The collector's task role (the collector module's `collector_role_arn` output)."
  type        = string
}

variable "external_id" {
  description = "The external id the collector must present."
  type        = string
}

variable "read_policy_directory" {
  description = "The generated IAM policy documents (`cloudinv generate iam --out DIR`); default: the committed ones for the curated tables."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
