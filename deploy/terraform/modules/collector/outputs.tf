output "store_location" {
  description = "The store, for `cloudinv --store` and the Glue tables' `store_location`."
  value       = local.store_location
}

output "bucket_arn" {
  description = "The store bucket's ARN."
  value       = aws_s3_bucket.store.arn
}

output "glue_database" {
  description = "The Glue database for the generated tables."
  value       = aws_glue_catalog_database.inventory.name
}

output "athena_workgroup" {
  description = "The Athena workgroup to query the snapshots in."
  value       = aws_athena_workgroup.inventory.name
}

output "collector_role_arn" {
  description = "The task role that collects; member roles trust it."
  value       = aws_iam_role.task.arn
}

output "log_group" {
  description = "The CloudWatch log group of the collector's JSON logs."
  value       = aws_cloudwatch_log_group.collector.name
}

output "cluster_arn" {
  description = "The ECS cluster the collector runs in."
  value       = aws_ecs_cluster.collector.arn
}

output "schedule_names" {
  description = "One EventBridge Scheduler schedule per shard."
  value       = aws_scheduler_schedule.collect[*].name
}
