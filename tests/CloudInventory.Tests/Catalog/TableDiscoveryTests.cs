using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;

namespace CloudInventory.Tests.Catalog;

public class TableDiscoveryTests
{
    private static TableCatalog Catalog => TableCatalog.Default;

    [Theory]
    [InlineData("ec2", "DescribeReservedInstancesOfferings")]
    [InlineData("ec2", "DescribeSpotPriceHistory")]
    [InlineData("ec2", "DescribeInstanceTypes")]
    [InlineData("ec2", "DescribeImages")]
    [InlineData("rds", "DescribeDBEngineVersions")]
    [InlineData("cloudwatch", "ListMetrics")]
    [InlineData("cloudtrail", "LookupEvents")]
    [InlineData("rds", "DescribeEvents")]
    [InlineData("guardduty", "ListFindings")]
    [InlineData("pricing", "GetProducts")]
    [InlineData("servicequotas", "ListServices")]
    [InlineData("ec2", "DescribeAccountAttributes")]
    [InlineData("ssm", "GetParametersByPath")]
    [InlineData("ec2", "RunInstances")]
    public void Leaves_out_what_is_not_inventory(string service, string operation)
    {
        Assert.False(TableDiscovery.IsInventory(service, operation));
        Assert.DoesNotContain(Catalog.Discovered, t => t.AwsService == service && t.Operation == operation);
    }

    [Theory]
    [InlineData("aws_ec2_key_pairs", "ec2", "DescribeKeyPairs")]
    [InlineData("aws_mq_brokers", "mq", "ListBrokers")]
    [InlineData("aws_batch_job_definitions", "batch", "DescribeJobDefinitions")]
    [InlineData("aws_dms_replication_instances", "dms", "DescribeReplicationInstances")]
    [InlineData("aws_shield_protections", "shield", "ListProtections")]
    public void Discovers_parameterless_reads_named_after_their_rows(string name, string service, string operation)
    {
        var table = Catalog.Find(name);
        Assert.NotNull(table);
        if (table.Origin == TableOrigin.Curated) return;
        Assert.Equal(service, table.AwsService);
        Assert.Equal(operation, table.Operation);
        Assert.Empty(table.Enrichments);
        Assert.Null(table.Parent);
    }

    [Fact]
    public void Skips_operations_the_curated_tables_already_call()
    {
        var curated = Catalog.Curated.Where(t => t.Cloud == Cloud.Aws && t.Parent is null).Select(t => $"{t.AwsService}:{t.Operation}").ToHashSet();
        Assert.All(Catalog.Discovered.Where(t => t.Cloud == Cloud.Aws), t => Assert.DoesNotContain($"{t.AwsService}:{t.Operation}", curated));
        Assert.Single(Catalog.Tables, t => t.AwsService == "ec2" && t.Operation == "DescribeVpcs");
    }

    [Fact]
    public void Uses_the_curated_service_names_for_discovered_tables()
    {
        Assert.Contains(Catalog.Discovered, t => t.Name.StartsWith("aws_elasticloadbalancingv2_", StringComparison.Ordinal));
        Assert.DoesNotContain(Catalog.Tables, t => t.Name.StartsWith("aws_elbv2_", StringComparison.Ordinal));
        Assert.All(Catalog.Tables.Where(t => t.AwsService is "iam" or "organizations" or "route53"), t => Assert.Equal(TableScope.Global, t.Scope));
        Assert.All(Catalog.Discovered.Where(t => t.AwsService is "ec2" or "s3"), t => Assert.Equal(TableScope.Regional, t.Scope));
    }

    [Fact]
    public void Guesses_a_primary_key_from_identifying_columns()
    {
        Assert.Equal(["broker_arn"], Catalog.Find("aws_mq_brokers")!.PrimaryKey);
        var withKeys = Catalog.Discovered.Count(t => t.PrimaryKey.Count > 0);
        Assert.True(withKeys > Catalog.Discovered.Count() * 8 / 10, $"{withKeys} of {Catalog.Discovered.Count()} discovered tables have a key");
    }
}
