output "store_location" {
  description = "Query it with `cloudinv query --store` or in Athena."
  value       = module.collector.store_location
}

output "athena_workgroup" {
  description = "The Athena workgroup."
  value       = module.collector.athena_workgroup
}

output "log_group" {
  description = "Where the collector logs."
  value       = module.collector.log_group
}
