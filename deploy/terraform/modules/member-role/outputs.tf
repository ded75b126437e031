output "role_arn" {
  description = "The member role's ARN."
  value       = aws_iam_role.reader.arn
}

output "policy_arns" {
  description = "The generated read policies attached to the role."
  value       = [for p in aws_iam_policy.read : p.arn]
}
