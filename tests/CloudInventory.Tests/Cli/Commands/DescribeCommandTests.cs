namespace CloudInventory.Tests.Cli.Commands;

public class DescribeCommandTests
{
    [Fact]
    public void Describes_columns_types_key_source_and_enrichments()
    {
        var (code, output, _) = TablesCommandTests.Run("describe", "aws_s3_buckets");
        Assert.Equal(0, code);
        Assert.StartsWith("aws_s3_buckets", output, StringComparison.Ordinal);
        Assert.Contains("source API:  s3:ListBuckets", output, StringComparison.Ordinal);
        Assert.Contains("primary key: name", output, StringComparison.Ordinal);
        Assert.Contains("scope:       global", output, StringComparison.Ordinal);
        Assert.Matches(@"policy +GetBucketPolicy\(Bucket=\$name\) → Policy \(absent on NoSuchBucketPolicy\)", output);
        Assert.Matches(@"\n    name +string \[key\]  \(api: Buckets\[\]\.Name\)", output);
        Assert.Matches(@"\n    tags +map<string,string>  \(enrichment: GetBucketTagging:TagSet, tag list as map\)", output);
    }

    [Fact]
    public void Describes_a_child_table_and_a_fan_out()
    {
        var (_, child, _) = TablesCommandTests.Run("describe", "aws_ecs_services");
        Assert.Contains("child of:    aws_ecs_clusters (cluster=$cluster_arn)", child, StringComparison.Ordinal);
        var (_, fan, _) = TablesCommandTests.Run("describe", "applicationautoscaling_scaling_policies");
        Assert.Contains("called per:  ServiceNamespace in ecs, elasticmapreduce", fan, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggests_a_table_for_an_unknown_name()
    {
        var (code, output, error) = TablesCommandTests.Run("describe", "aws_ec2_instance");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("unknown table 'aws_ec2_instance'; did you mean 'aws_ec2_instances'?", error, StringComparison.Ordinal);
    }
}
