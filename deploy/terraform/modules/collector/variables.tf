variable "name" {
  description = "A name for every resource of the collector (bucket suffix, cluster, roles, log group)."
  type        = string
  default     = "cloudinv"
}

variable "bucket_name" {
  description = "The S3 bucket that holds the store (created here)."
  type        = string
}

variable "store_prefix" {
  description = "The prefix of the store inside the bucket (no leading or trailing slash)."
  type        = string
  default     = "inventory"
}

variable "snapshot_retention_days" {
  description = "Snapshots older than this many days are deleted by the bucket's lifecycle rule (0 keeps them forever)."
  type        = number
  default     = 400
}

variable "image" {
  description = "The cloudinv container image (built from the repository's Containerfile and pushed to your registry, e.g. ECR)."
  type        = string
}

variable "schedule" {
  description = "When to collect, as an EventBridge Scheduler cron expression (minutes hours day-of-month month day-of-week year)."
  type        = string
  default     = "cron(0 5 * * ? *)"
}

variable "schedule_timezone" {
  description = "The IANA time zone of the schedule."
  type        = string
  default     = "UTC"
}

variable "schedule_jitter_minutes" {
  description = "Start each shard at a random moment within this many minutes after the scheduled time (0 starts on time)."
  type        = number
  default     = 15
}

variable "shards" {
  description = "How many ECS tasks share one collection (each runs `collect --shard k/n`)."
  type        = number
  default     = 1
}

variable "collect_arguments" {
  description = "Arguments of `cloudinv collect` besides the store and the shard, e.g. [\"--org\", \"--role-name\", \"CloudInventoryReader\"]."
  type        = list(string)
  default     = ["--org"]
}

variable "member_role_name" {
  description = "The read-only role in every member account that the collector assumes (see the member-role module)."
  type        = string
  default     = "CloudInventoryReader"
}

variable "external_id" {
  description = "The external id the member roles require (passed as CLOUDINV_EXTERNAL_ID)."
  type        = string
}

variable "task_cpu" {
  description = "Fargate CPU units for one task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "task_memory" {
  description = "Fargate memory for one task in MiB (a full run peaked at ~280 MB in docs/benchmarks.md; keep headroom)."
  type        = number
  default     = 2048
}

variable "subnet_ids" {
  description = "Subnets the tasks run in (they need outbound HTTPS to the AWS APIs, through a NAT gateway or VPC endpoints)."
  type        = list(string)
}

variable "vpc_id" {
  description = "The VPC of the subnets (for the tasks' security group)."
  type        = string
}

variable "assign_public_ip" {
  description = "Give tasks a public IP (only for public subnets without a NAT gateway)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "How long the collector's JSON logs are kept."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
