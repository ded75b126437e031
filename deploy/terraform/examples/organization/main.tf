# Daily snapshots of a whole organisation (docs/deploy.md walks through it):
# - the collector in a dedicated inventory account (provider "aws"),
# - the Glue tables for the tables you collect (`cloudinv generate --from-store` or the committed deploy/glue),
# - the member role in every account through a service-managed StackSet, run from the management account,
# - an Organizations delegation policy so the inventory account may list the organisation's accounts.

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "management"
  region = var.region
}

module "collector" {
  source            = "../../modules/collector"
  bucket_name       = var.bucket_name
  image             = var.image
  external_id       = var.external_id
  shards            = var.shards
  subnet_ids        = var.subnet_ids
  vpc_id            = var.vpc_id
  collect_arguments = ["--org"]
  tags              = var.tags
}

# Regenerate for what you collect: cloudinv generate --from-store s3://BUCKET/inventory --out generated
# and point this source at ./generated/deploy/glue.
module "glue_tables" {
  source         = "../../../glue"
  glue_database  = module.collector.glue_database
  store_location = module.collector.store_location
}

data "aws_caller_identity" "inventory" {}

resource "aws_cloudformation_stack_set" "member_role" {
  provider         = aws.management
  name             = "cloudinv-member-role"
  description      = "Cloud Inventory read-only role in every member account"
  permission_model = "SERVICE_MANAGED"
  capabilities     = ["CAPABILITY_NAMED_IAM"]
  template_body    = file("${path.module}/../../../stackset/member-role.template.json")

  parameters = {
    CollectorRoleArn = module.collector.collector_role_arn
    ExternalId       = var.external_id
    RoleName         = "CloudInventoryReader"
  }

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  lifecycle {
    ignore_changes = [administration_role_arn]
  }
}

resource "aws_cloudformation_stack_set_instance" "member_role" {
  provider       = aws.management
  stack_set_name = aws_cloudformation_stack_set.member_role.name
  stack_set_instance_region = var.region

  deployment_targets {
    organizational_unit_ids = var.organizational_unit_ids
  }

  operation_preferences {
    max_concurrent_percentage = 25
    failure_tolerance_count   = 2
  }
}

# StackSets do not deploy to the management account itself: give it the role directly.
module "management_account_role" {
  source = "../../modules/member-role"
  providers = {
    aws = aws.management
  }
  collector_role_arn = module.collector.collector_role_arn
  external_id        = var.external_id
}

data "aws_iam_policy_document" "organizations_delegation" {
  statement {
    sid = "CloudInventoryListsAccounts"
    actions = [
      "organizations:ListAccounts",
      "organizations:ListRoots",
      "organizations:ListAccountsForParent",
      "organizations:ListOrganizationalUnitsForParent",
    ]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [data.aws_caller_identity.inventory.account_id]
    }
  }
}

resource "aws_organizations_resource_policy" "delegation" {
  provider = aws.management
  content  = data.aws_iam_policy_document.organizations_delegation.json
}
