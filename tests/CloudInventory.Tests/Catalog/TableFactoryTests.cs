using CloudInventory.Aws.Models;
using CloudInventory.Catalog;

namespace CloudInventory.Tests.Catalog;

public class TableFactoryTests
{
    private const string File = "specs/aws/test.yaml";

    private static TableCatalog Load(string yaml) =>
        TableCatalog.Load(AwsModelBundle.Default, [new KeyValuePair<string, string>(File, yaml)], discover: false);

    private static CatalogException Invalid(string yaml, string table)
    {
        var e = Assert.Throws<CatalogException>(() => Load(yaml));
        Assert.Equal(File, e.File);
        Assert.Equal(table, e.Table);
        Assert.StartsWith($"{File}: table '{table}': ", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void Builds_a_table_from_a_minimal_spec()
    {
        var catalog = Load("""
            service: ec2
            tables:
              - resource: vpcs
                operation: DescribeVpcs
                primary_key: [vpc_id]
            """);
        var table = Assert.Single(catalog.Tables);
        Assert.Equal("aws_ec2_vpcs", table.Name);
        Assert.Equal("Vpcs[]", table.RowPath.ToString());
        Assert.Equal(TableOrigin.Curated, table.Origin);
        Assert.Equal(File, table.SpecFile);
    }

    [Fact]
    public void Names_an_unknown_operation_and_suggests_the_closest()
    {
        var e = Invalid("""
            service: ec2
            tables:
              - resource: vpcs
                operation: DescribeVpc
                primary_key: [vpc_id]
            """, "aws_ec2_vpcs");
        Assert.Contains("unknown operation 'DescribeVpc' in ec2 (did you mean 'DescribeVpcs'?)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_operation_that_is_not_a_read()
    {
        var e = Invalid("""
            service: ec2
            tables:
              - resource: instances
                operation: TerminateInstances
                primary_key: [instance_id]
            """, "aws_ec2_instances");
        Assert.Contains("'TerminateInstances' is not a read operation (allowed verbs: List, Describe, Get)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_read_that_returns_secrets()
    {
        var e = Invalid("""
            service: secretsmanager
            tables:
              - resource: secrets
                operation: ListSecrets
                primary_key: [arn]
                enrichments:
                  - name: value
                    operation: GetSecretValue
                    params: { SecretId: $arn }
            """, "aws_secretsmanager_secrets");
        Assert.Contains("'GetSecretValue' returns secrets or stored data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_row_path_that_is_not_in_the_output()
    {
        var e = Invalid("""
            service: ec2
            tables:
              - resource: instances
                operation: DescribeInstances
                rows: Reservations[].Instance[]
                primary_key: [instance_id]
            """, "aws_ec2_instances");
        Assert.Contains("'Instance' does not exist in the output at 'Reservations[]' (did you mean 'Instances'?)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asks_for_brackets_on_a_list_in_the_row_path()
    {
        var e = Invalid("""
            service: ec2
            tables:
              - resource: instances
                operation: DescribeInstances
                rows: Reservations.Instances[]
                primary_key: [instance_id]
            """, "aws_ec2_instances");
        Assert.Contains("'Reservations' is a list; write 'Reservations[]'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_primary_key_field_missing_from_the_row()
    {
        var e = Invalid("""
            service: ec2
            tables:
              - resource: vpcs
                operation: DescribeVpcs
                primary_key: [vpcid]
            """, "aws_ec2_vpcs");
        Assert.Contains("primary key 'vpcid' is not a column of the row (did you mean 'vpc_id'?)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_primary_key_that_is_not_a_single_value()
    {
        var e = Invalid("""
            service: ec2
            tables:
              - resource: vpcs
                operation: DescribeVpcs
                primary_key: [cidr_block_association_set]
            """, "aws_ec2_vpcs");
        Assert.Contains("is a array<struct<", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_an_enrichment_input_the_row_does_not_have()
    {
        var e = Invalid("""
            service: s3
            tables:
              - resource: buckets
                operation: ListBuckets
                primary_key: [name]
                enrichments:
                  - name: versioning
                    operation: GetBucketVersioning
                    params: { Bucket: $bucket_name }
            """, "aws_s3_buckets");
        Assert.Contains("enrichment 'versioning'", e.Message, StringComparison.Ordinal);
        Assert.Contains("input 'Bucket' takes '$bucket_name' from the row, but the row has no column 'bucket_name'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_required_input_nobody_gives()
    {
        var e = Invalid("""
            service: route53
            tables:
              - resource: record_sets
                operation: ListResourceRecordSets
                primary_key: [name]
            """, "aws_route53_record_sets");
        Assert.Contains("ListResourceRecordSets requires 'HostedZoneId'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_parameter_the_operation_does_not_take()
    {
        var e = Invalid("""
            service: ec2
            tables:
              - resource: images
                operation: DescribeImages
                params: { Owner: [self] }
                primary_key: [image_id]
            """, "aws_ec2_images");
        Assert.Contains("'Owner' is not an input of DescribeImages (did you mean 'Owners'?)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_row_inputs_on_a_table_without_a_parent()
    {
        var e = Invalid("""
            service: iam
            tables:
              - resource: access_keys
                operation: ListAccessKeys
                params: { UserName: $user_name }
                primary_key: [access_key_id]
            """, "aws_iam_access_keys");
        Assert.Contains("the table has no parent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_an_unknown_parent()
    {
        var e = Invalid("""
            service: iam
            tables:
              - resource: access_keys
                parent: user
                operation: ListAccessKeys
                params: { UserName: $user_name }
                primary_key: [access_key_id]
            """, "aws_iam_access_keys");
        Assert.Contains("parent 'user' is not a table defined above it in this file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_an_unknown_key_with_a_suggestion()
    {
        var e = Assert.Throws<CatalogException>(() => Load("""
            service: ec2
            tables:
              - resource: vpcs
                operation: DescribeVpcs
                primarykey: [vpc_id]
            """));
        Assert.Contains("unknown key 'primarykey' (did you mean 'primary_key'?)", e.Message, StringComparison.Ordinal);
        Assert.Equal("vpcs", e.Table);
    }

    [Fact]
    public void Names_an_unknown_service()
    {
        var e = Assert.Throws<CatalogException>(() => Load("""
            service: ec3
            tables: []
            """));
        Assert.Equal($"{File}: unknown AWS service 'ec3' (did you mean 'ec2'?); set 'model:' to the bundled service name", e.Message);
    }

    [Fact]
    public void Reports_invalid_yaml_with_its_line()
    {
        var e = Assert.Throws<CatalogException>(() => Load("service: ec2\ntables: [\n  - x: {"));
        Assert.StartsWith($"{File}: line ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_fixed_parameter_types_against_the_input_shape()
    {
        var e = Invalid("""
            service: elasticache
            tables:
              - resource: cache_clusters
                operation: DescribeCacheClusters
                params: { ShowCacheNodeInfo: maybe }
                primary_key: [arn]
            """, "aws_elasticache_cache_clusters");
        Assert.Contains("'maybe' is not a valid boolean", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_fixed_parameters_fan_outs_and_bindings()
    {
        var catalog = Load("""
            service: ecs
            tables:
              - resource: clusters
                operation: ListClusters
                column: cluster_arn
                primary_key: [cluster_arn]
              - resource: services
                parent: clusters
                operation: ListServices
                params: { cluster: $cluster_arn, maxResults: 100 }
                column: service_arn
                primary_key: [service_arn]
                enrichments:
                  - name: service
                    operation: DescribeServices
                    params: { cluster: $cluster_arn, services: [$service_arn], include: [TAGS] }
                    result: services[]
                    flatten: true
            """);
        var services = catalog.Find("aws_ecs_services")!;
        Assert.Equal("aws_ecs_clusters", services.Parent!.Table);
        Assert.Equal([new InputBinding("cluster", "cluster_arn")], services.Parent.Bindings);
        Assert.Equal("""{"maxResults":100}""", services.FixedInput.GetRawText());
        Assert.Equal(["cluster_arn", "service_arn"], services.Columns.Take(2).Select(c => c.Name));
        Assert.Equal(ColumnOrigin.Parent, services.Columns[0].Origin);
        var describe = Assert.Single(services.Enrichments);
        Assert.Equal([new InputBinding("cluster", "cluster_arn"), new InputBinding("services", "service_arn", AsList: true)], describe.Bindings);
        Assert.Equal("""{"include":["TAGS"]}""", describe.FixedInput.GetRawText());
        // Flattened: the described service's fields become columns, except those the row already has.
        Assert.Contains(services.Columns, c => c.Name == "service_name" && c.Origin == ColumnOrigin.Enrichment);
        Assert.Single(services.Columns, c => c.Name == "service_arn");
    }

    [Fact]
    public void Reads_a_fan_out_over_a_scalar_parameter()
    {
        var catalog = Load("""
            service: applicationautoscaling
            tables:
              - resource: scaling_policies
                operation: DescribeScalingPolicies
                params: { ServiceNamespace: [ecs, dynamodb] }
                primary_key: [policy_arn]
            """);
        Assert.Equal(new InputFanOut("ServiceNamespace", ["ecs", "dynamodb"]).Values, catalog.Tables[0].FanOut!.Values);
        Assert.Equal("ServiceNamespace", catalog.Tables[0].FanOut!.Parameter);
    }

    [Fact]
    public void Refuses_a_table_defined_twice()
    {
        var e = Invalid("""
            service: ec2
            tables:
              - resource: vpcs
                operation: DescribeVpcs
                primary_key: [vpc_id]
              - resource: vpcs
                operation: DescribeVpcs
                primary_key: [vpc_id]
            """, "aws_ec2_vpcs");
        Assert.Contains("defined twice", e.Message, StringComparison.Ordinal);
    }
}
