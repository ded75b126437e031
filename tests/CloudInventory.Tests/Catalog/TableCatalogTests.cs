using System.Text.RegularExpressions;
using CloudInventory.Aws.Models;
using CloudInventory.Catalog;

namespace CloudInventory.Tests.Catalog;

public partial class TableCatalogTests
{
    // The resources of the system we start from (issue 3), with their names as written there.
    private const string StartingResources = """
        acm.certificates apigateway.rest_apis apigatewayv2.apis applicationautoscaling.scaling_policies
        athena.work_groups athena.data_catalogs athena.databases autoscaling.auto_scaling_groups
        autoscaling.launch_configurations backup.backup_vaults backup.backup_plans cloudformation.stacks
        cloudfront.distributions cloudtrail.trails cloudwatch.metric_alarms cloudwatch.composite_alarms
        cloudwatchlogs.log_groups dynamodb.tables ec2.addresses ec2.dhcp_options ec2.images ec2.instances
        ec2.internet_gateways ec2.managed_prefix_lists ec2.nat_gateways ec2.network_acls
        ec2.network_interfaces ec2.placement_groups ec2.reserved_instances ec2.route_tables
        ec2.security_groups ec2.subnets ec2.transit_gateway_peering_attachments
        ec2.transit_gateway_route_tables ec2.transit_gateway_vpc_attachments ec2.transit_gateways
        ec2.volumes ec2.vpc_endpoints ec2.vpc_peering_connections ec2.vpcs ec2.vpn_gateways
        ecr.repositories ecs.clusters ecs.services ecs.tasks efs.file_systems elasticache.cache_clusters
        elasticloadbalancing.load_balancers elasticloadbalancingv2.load_balancers
        elasticloadbalancingv2.target_groups iam.groups iam.policies iam.roles iam.users kms.keys
        lambda.functions rds.db_clusters rds.db_instances redshift.clusters route53.hosted_zones s3.buckets
        secretsmanager.secrets sns.topics sns.subscriptions sqs.queues ssm.parameters storagegateway.gateways
        """;

    private static TableCatalog Catalog => TableCatalog.Default;

    public static TheoryData<string> StartingTables()
    {
        var data = new TheoryData<string>();
        foreach (var r in StartingResources.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            var (service, resource) = (r[..r.IndexOf('.', StringComparison.Ordinal)], r[(r.IndexOf('.', StringComparison.Ordinal) + 1)..]);
            data.Add($"aws_{service}_{resource}");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(StartingTables))]
    public void Covers_every_resource_of_the_system_we_start_from_with_its_name(string name)
    {
        var table = Catalog.Find(name);
        Assert.NotNull(table);
        Assert.Equal(TableOrigin.Curated, table.Origin);
        Assert.Contains(table.Columns, c => c.Origin is ColumnOrigin.Api or ColumnOrigin.Enrichment);
    }

    [Fact]
    public void Covers_the_whole_starting_list()
    {
        Assert.Equal(67, StartingTables().Count);
    }

    [Fact]
    public void Has_at_least_150_curated_and_over_1000_discovered_tables()
    {
        Assert.True(Catalog.Curated.Count() >= 150, $"{Catalog.Curated.Count()} curated tables");
        Assert.True(Catalog.Discovered.Count() > 1000, $"{Catalog.Discovered.Count()} discovered tables");
    }

    [Fact]
    public void Calls_only_read_operations()
    {
        var operations = Catalog.Tables.SelectMany(t => t.Operations.Select(o => (t.Name, t.AwsService, Operation: o))).ToArray();
        Assert.True(operations.Length > Catalog.Of(Cloud.Aws).Count());
        Assert.All(Catalog.Of(Cloud.Azure), t => Assert.Empty(t.Operations));
        foreach (var (table, service, operation) in operations)
        {
            Assert.True(Regex.IsMatch(operation, "^(List|Describe|Get)[A-Z]"), $"{table} calls {service}:{operation}, which is not a read");
            Assert.False(ReadVerbs.ReturnsSecretsOrData(operation), $"{table} calls {service}:{operation}, which returns secrets or data");
            Assert.NotNull(AwsModelBundle.Default.GetService(service).Operations.GetValueOrDefault(operation));
        }
    }

    [Fact]
    public void Names_tables_after_service_and_resource_uniquely()
    {
        Assert.Equal(Catalog.Tables.Count, Catalog.Tables.Select(t => t.Name).Distinct().Count());
        Assert.All(Catalog.Of(Cloud.Aws), t =>
        {
            Assert.Matches(TableName(), t.Name);
            Assert.Equal($"aws_{t.Service}_{t.Resource}", t.Name);
        });
        Assert.All(Catalog.Of(Cloud.Azure), t => Assert.Equal(t.Service.Length == 0 ? $"azure_{t.Resource}" : $"azure_{t.Service}_{t.Resource}", t.Name));
    }

    [Fact]
    public void Gives_every_table_the_system_columns_and_valid_keys()
    {
        Assert.All(Catalog.Tables, t =>
        {
            var names = t.Columns.Select(c => c.Name).ToArray();
            Assert.Equal(names.Length, names.Distinct().Count());
            Assert.Equal(["account_id", "region", "report_time"], t.Columns.Where(c => c.Origin == ColumnOrigin.System).Select(c => c.Name));
            Assert.DoesNotContain("report_date", names);
            Assert.All(t.Columns, c => Assert.Matches(ColumnName(), c.Name));
            Assert.All(t.PrimaryKey, k => Assert.Contains(k.Split('.')[0], names));
            // Stable order: parent/carried, API, system, enrichment.
            var order = t.Columns.Select(c => c.Origin switch
            {
                ColumnOrigin.Parent or ColumnOrigin.Carried => 0,
                ColumnOrigin.Api => 1,
                ColumnOrigin.System => 2,
                _ => 3,
            }).ToArray();
            Assert.Equal(order.Order(), order);
        });
    }

    [Fact]
    public void Gives_child_tables_an_earlier_parent_in_the_same_service()
    {
        var children = Catalog.Of(Cloud.Aws).Where(t => t.Parent is not null).ToArray();
        Assert.Contains(children, t => t.Name == "aws_ecs_tasks" && t.Parent!.Table == "aws_ecs_clusters");
        Assert.Contains(children, t => t.Name == "aws_eks_nodegroups" && t.Parent!.Table == "aws_eks_clusters");
        Assert.Contains(children, t => t.Name == "aws_route53_record_sets" && t.Parent!.Table == "aws_route53_hosted_zones");
        Assert.Contains(children, t => t.Name == "aws_iam_role_attached_policies" && t.Parent!.Table == "aws_iam_roles");
        Assert.All(children, t =>
        {
            var parent = Catalog.Find(t.Parent!.Table);
            Assert.NotNull(parent);
            Assert.Equal(t.Service, parent.Service);
            Assert.All(t.Parent.Bindings, b => Assert.NotNull(parent.FindColumn(b.Column)));
        });
    }

    [Fact]
    public void Loads_the_same_catalog_every_time()
    {
        var again = TableCatalog.Load(AwsModelBundle.Default, TableCatalog.EmbeddedSpecs(), azure: CloudInventory.Azure.Models.AzureModelBundle.Default);
        Assert.Equal(Catalog.Tables.Select(t => t.Name), again.Tables.Select(t => t.Name));
        Assert.Equal(
            Catalog.Tables.SelectMany(t => t.Columns.Select(c => $"{t.Name}.{c.Name}:{c.Type.ToHiveType()}")),
            again.Tables.SelectMany(t => t.Columns.Select(c => $"{t.Name}.{c.Name}:{c.Type.ToHiveType()}")));
    }

    [Fact]
    public void Embeds_one_spec_per_service()
    {
        var specs = TableCatalog.EmbeddedSpecs().ToArray();
        Assert.True(specs.Length >= 40);
        Assert.All(specs, s => Assert.Matches("^specs/aws/[a-z0-9]+\\.yaml$", s.Key));
        Assert.All(Catalog.Curated.Where(t => t.Cloud == Cloud.Aws), t => Assert.Equal($"specs/aws/{t.Service}.yaml", t.SpecFile));
    }

    [Fact]
    public void Suggests_the_closest_table_name()
    {
        Assert.Equal("aws_ec2_instances", Catalog.Suggest("aws_ec2_instance"));
        Assert.Equal("aws_s3_buckets", Catalog.Suggest("s3_buckets"));
        Assert.Null(Catalog.Find("aws_ec2_instance"));
    }

    [Fact]
    public void Never_collects_secret_bearing_fields()
    {
        string[] secrets = ["user_data", "secret_string", "secret_binary", "base32_string_seed", "qr_code_png", "master_user_password"];
        foreach (var t in Catalog.Tables)
        {
            foreach (var c in t.Columns)
            {
                Assert.DoesNotContain(c.Name, secrets);
                foreach (var s in secrets) Assert.DoesNotContain($"{s}:", c.Type.ToHiveType(), StringComparison.Ordinal);
            }
        }
        Assert.Equal("struct<error:struct<error_code:string>>", Catalog.Find("aws_lambda_functions")!.FindColumn("environment")!.Type.ToHiveType());
        Assert.DoesNotContain("environment:", Catalog.Find("aws_ecs_task_definitions")!.FindColumn("container_definitions")!.Type.ToHiveType(), StringComparison.Ordinal);
        Assert.DoesNotContain(Catalog.Find("aws_ssm_parameters")!.Columns, c => c.Name == "value");
    }

    [GeneratedRegex("^aws_[a-z0-9]+_[a-z0-9_]+$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex ColumnName();
}
