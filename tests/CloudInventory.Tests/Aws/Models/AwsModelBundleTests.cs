using CloudInventory.Aws.Models;

namespace CloudInventory.Tests.Aws.Models;

public class AwsModelBundleTests
{
    [Fact]
    public void Bundles_every_service_of_the_aws_sdk_package()
    {
        var bundle = AwsModelBundle.Default;
        Assert.Equal("aws-sdk@2.1693.0", bundle.Source);
        Assert.Equal(385, bundle.Services.Count);
    }

    [Theory]
    [InlineData("ec2", "ec2", "ec2", AwsProtocol.Ec2)]
    [InlineData("cloudwatch", "cloudwatch", "monitoring", AwsProtocol.Query)]
    [InlineData("monitoring", "cloudwatch", "monitoring", AwsProtocol.Query)]
    [InlineData("cloudwatchlogs", "cloudwatchlogs", "logs", AwsProtocol.Json)]
    [InlineData("s3", "s3", "s3", AwsProtocol.RestXml)]
    [InlineData("lambda", "lambda", "lambda", AwsProtocol.RestJson)]
    [InlineData("elasticloadbalancingv2", "elbv2", "elasticloadbalancing", AwsProtocol.Query)]
    [InlineData("elbv2", "elbv2", "elasticloadbalancing", AwsProtocol.Query)]
    public void Finds_services_by_name_model_prefix_and_endpoint_prefix(string query, string name, string prefix, AwsProtocol protocol)
    {
        var model = AwsModelBundle.Default.GetService(query);
        Assert.Equal(name, model.Name);
        Assert.Equal(prefix, model.EndpointPrefix);
        Assert.Equal(protocol, model.Protocol);
        Assert.NotNull(AwsModelBundle.Default.FindByEndpointPrefix(prefix));
    }

    [Fact]
    public void Picks_the_protocol_from_metadata_protocols_when_present()
    {
        // SQS moved from query to JSON (awsQueryCompatible); metadata.protocols says json.
        var sqs = AwsModelBundle.Default.GetService("sqs");
        Assert.Equal(AwsProtocol.Json, sqs.Protocol);
        Assert.True(sqs.AwsQueryCompatible);
        Assert.Equal("AmazonSQS", sqs.TargetPrefix);
    }

    [Fact]
    public void Resolves_inline_shapes_with_their_traits()
    {
        var ec2 = AwsModelBundle.Default.GetService("ec2");
        var op = ec2.Operations["DescribeInstances"];
        var reservations = op.Output!.Shape.FindMember("Reservations")!;
        Assert.Equal("reservationSet", reservations.LocationName);
        Assert.Equal(ShapeType.List, reservations.Shape.Type);
        Assert.Equal("item", reservations.Shape.ListMember!.LocationName);
        var instances = reservations.Shape.ListMember.Shape.FindMember("Instances")!;
        var launchTime = instances.Shape.ListMember!.Shape.FindMember("LaunchTime")!;
        Assert.Equal(ShapeType.Timestamp, launchTime.Shape.Type);
        Assert.Equal("Filter", op.Input!.Shape.FindMember("Filters")!.LocationName);
        Assert.Equal("NextToken", op.Paginator!.InputTokens.Single());
    }

    [Fact]
    public void Reads_result_wrappers_payloads_and_uri_locations()
    {
        var rds = AwsModelBundle.Default.GetService("rds").Operations["DescribeDBInstances"];
        Assert.Equal("DescribeDBInstancesResult", rds.Output!.ResultWrapper);

        var s3 = AwsModelBundle.Default.GetService("s3");
        var policy = s3.Operations["GetBucketPolicy"];
        Assert.Equal("GET", policy.HttpMethod);
        Assert.Equal("/{Bucket}?policy", policy.RequestUri);
        Assert.Equal("Policy", policy.Output!.Shape.Payload);
        Assert.Equal(MemberLocation.Uri, policy.Input!.Shape.FindMember("Bucket")!.Location);
    }

    [Fact]
    public void Reads_path_expression_and_multi_token_paginators()
    {
        var s3 = AwsModelBundle.Default.GetService("s3");
        var versions = s3.Operations["ListObjectVersions"].Paginator!;
        Assert.Equal(["KeyMarker", "VersionIdMarker"], versions.InputTokens);
        Assert.Equal(["NextKeyMarker", "NextVersionIdMarker"], versions.OutputTokens);
        Assert.Equal("IsTruncated", versions.MoreResults);
        Assert.Contains("NextMarker || Contents[-1].Key", s3.Operations["ListObjects"].Paginator!.OutputTokens);
        var cf = AwsModelBundle.Default.GetService("cloudfront").Operations["ListDistributions"].Paginator!;
        Assert.Equal("DistributionList.NextMarker", cf.OutputTokens.Single());
    }

    [Fact]
    public void Unknown_service_suggests_the_closest_name()
    {
        var ex = Assert.Throws<AwsModelException>(() => AwsModelBundle.Default.GetService("ec3"));
        Assert.Contains("unknown AWS service 'ec3'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'ec2'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_every_bundled_model()
    {
        foreach (var service in AwsModelBundle.Default.Services)
        {
            var model = AwsModelBundle.Default.GetService(service.Name);
            Assert.Equal(service.OperationCount, model.Operations.Count);
        }
    }
}
