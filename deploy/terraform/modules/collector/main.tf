# The collector account: the store (S3), the catalog (Glue database; the tables come from the generated
# deploy/glue module), Athena, and a scheduled Fargate task per shard running `cloudinv collect`.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  store_location        = "s3://${aws_s3_bucket.store.bucket}/${var.store_prefix}"
  container_name        = "cloudinv"
  shard_labels          = [for k in range(var.shards) : "${k + 1}/${var.shards}"] # collect numbers shards from 1
}

# --- store -------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "store" {
  bucket = var.bucket_name
  tags   = var.tags
}

resource "aws_s3_bucket_public_access_block" "store" {
  bucket                  = aws_s3_bucket.store.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "store" {
  bucket = aws_s3_bucket.store.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "store" {
  bucket = aws_s3_bucket.store.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

# Versioning keeps overwritten or deleted objects for 30 days: the restore path for a bad `store gc`.
resource "aws_s3_bucket_versioning" "store" {
  bucket = aws_s3_bucket.store.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "store" {
  bucket     = aws_s3_bucket.store.id
  depends_on = [aws_s3_bucket_versioning.store]

  rule {
    id     = "expire-old-snapshots"
    status = var.snapshot_retention_days > 0 ? "Enabled" : "Disabled"
    filter {
      prefix = "${var.store_prefix}/"
    }
    expiration {
      days = var.snapshot_retention_days > 0 ? var.snapshot_retention_days : 36500
    }
  }

  rule {
    id     = "old-versions-and-uploads"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  rule {
    id     = "athena-results"
    status = "Enabled"
    filter {
      prefix = "athena-results/"
    }
    expiration {
      days = 30
    }
  }
}

data "aws_iam_policy_document" "store_tls_only" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.store.arn,
      "${aws_s3_bucket.store.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "store" {
  bucket = aws_s3_bucket.store.id
  policy = data.aws_iam_policy_document.store_tls_only.json
}

# --- catalog and queries -------------------------------------------------------------------------------

resource "aws_glue_catalog_database" "inventory" {
  name        = replace(var.name, "-", "_")
  description = "Cloud Inventory snapshots (tables from `cloudinv generate`)."
  tags        = var.tags
}

resource "aws_athena_workgroup" "inventory" {
  name          = var.name
  force_destroy = true
  tags          = var.tags
  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    result_configuration {
      output_location = "s3://${aws_s3_bucket.store.bucket}/athena-results/"
      encryption_configuration {
        encryption_option = "SSE_S3"
      }
    }
  }
}

# --- logs, cluster, roles ------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "collector" {
  name              = "/${var.name}/collector"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_ecs_cluster" "collector" {
  name = var.name
  tags = var.tags
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-collector"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
  tags               = var.tags
}

# What a run needs in the collector account itself: the store, the run's own reads (who am I, which regions, which
# accounts), and AssumeRole into the member roles (every account, this one included, is read through its member role).
# The store: write run files and manifests, read them back (verification, gc), delete unlisted files (store gc).
data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ListStore"
    actions   = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.store.arn]
  }
  statement {
    sid       = "WriteStore"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${aws_s3_bucket.store.arn}/${var.store_prefix}/*"]
  }
  statement {
    sid       = "RunReads"
    actions   = ["sts:GetCallerIdentity", "ec2:DescribeRegions", "organizations:ListAccounts", "organizations:ListRoots", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"]
    resources = ["*"]
  }
  statement {
    sid       = "EnterMemberAccounts"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:${data.aws_partition.current.partition}:iam::*:role/${var.member_role_name}"]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "store-and-member-roles"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# --- the task and its schedules ------------------------------------------------------------------------

resource "aws_security_group" "collector" {
  name        = "${var.name}-collector"
  description = "cloudinv collector tasks: outbound HTTPS only"
  vpc_id      = var.vpc_id
  tags        = var.tags
  egress {
    description = "AWS APIs"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "collector" {
  family                   = "${var.name}-collector"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  tags                     = var.tags

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  volume {
    name = "state"
  }

  container_definitions = jsonencode([
    {
      name                   = local.container_name
      image                  = var.image
      essential              = true
      readonlyRootFilesystem = true
      command                = concat(["collect", "--store", local.store_location, "--log-format", "json"], var.collect_arguments)
      environment = [
        { name = "CLOUDINV_ROLE_NAME", value = var.member_role_name },
        { name = "CLOUDINV_EXTERNAL_ID", value = var.external_id },
        { name = "AWS_REGION", value = data.aws_region.current.region },
      ]
      mountPoints = [{ sourceVolume = "state", containerPath = "/state", readOnly = false }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.collector.name
          awslogs-region        = data.aws_region.current.region
          awslogs-stream-prefix = "collect"
        }
      }
    }
  ])
}

data "aws_iam_policy_document" "scheduler_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name}-scheduler"
  assume_role_policy = data.aws_iam_policy_document.scheduler_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "RunCollector"
    actions   = ["ecs:RunTask"]
    resources = [aws_ecs_task_definition.collector.arn_without_revision, "${aws_ecs_task_definition.collector.arn_without_revision}:*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.collector.arn]
    }
  }
  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.task.arn, aws_iam_role.execution.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "run-collector"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "collect" {
  count                        = var.shards
  name                         = "${var.name}-collect-${count.index}-of-${var.shards}"
  description                  = "cloudinv collect, shard ${local.shard_labels[count.index]}"
  schedule_expression          = var.schedule
  schedule_expression_timezone = var.schedule_timezone

  flexible_time_window {
    mode                      = var.schedule_jitter_minutes > 0 ? "FLEXIBLE" : "OFF"
    maximum_window_in_minutes = var.schedule_jitter_minutes > 0 ? var.schedule_jitter_minutes : null
  }

  target {
    arn      = aws_ecs_cluster.collector.arn
    role_arn = aws_iam_role.scheduler.arn
    input = jsonencode({
      containerOverrides = [
        {
          name        = local.container_name
          # Every shard derives the same run id from the scheduled time (EventBridge Scheduler fills it in), so the
          # shards of one schedule form one snapshot.
          environment = [
            { name = "CLOUDINV_SHARD", value = local.shard_labels[count.index] },
            { name = "CLOUDINV_JOB_NAME", value = "${var.name}@<aws.scheduler.scheduled-time>" },
          ]
        }
      ]
    })

    ecs_parameters {
      task_definition_arn = aws_ecs_task_definition.collector.arn_without_revision
      launch_type         = "FARGATE"
      task_count          = 1
      network_configuration {
        subnets          = var.subnet_ids
        security_groups  = [aws_security_group.collector.id]
        assign_public_ip = var.assign_public_ip
      }
    }

    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 3600
    }
  }
}
