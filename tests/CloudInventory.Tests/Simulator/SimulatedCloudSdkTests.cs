using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace CloudInventory.Tests.Simulator;

/// <summary>The AWS SDK for .NET's own typed clients, pointed at the simulator, parse what it serves.</summary>
public class SimulatedCloudSdkTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private AmazonEC2Client Ec2(string region = "us-east-1") =>
        new(fixture.ManagementCredentials, fixture.Configure(new AmazonEC2Config(), region));

    [Fact]
    public async Task Sts_get_caller_identity_names_the_account_of_the_access_key()
    {
        using var sts = new AmazonSecurityTokenServiceClient(fixture.ManagementCredentials, fixture.Configure(new AmazonSecurityTokenServiceConfig()));
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(fixture.Cloud.World.ManagementAccount.Id, identity.Account);
    }

    [Fact]
    public async Task Ec2_instances_page_and_reference_existing_subnets_and_vpcs()
    {
        using var ec2 = Ec2();
        var instances = new List<Instance>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { NextToken = token });
            instances.AddRange(page.Reservations.SelectMany(r => r.Instances));
            token = page.NextToken;
            pages++;
        }
        while (token is not null);
        Assert.True(pages > 1, "expected several pages");
        Assert.NotEmpty(instances);

        var subnets = await ToListAsync(ec2.Paginators.DescribeSubnets(new DescribeSubnetsRequest()).Subnets);
        var vpcs = await ToListAsync(ec2.Paginators.DescribeVpcs(new DescribeVpcsRequest()).Vpcs);
        foreach (var instance in instances)
        {
            var subnet = Assert.Single(subnets, s => s.SubnetId == instance.SubnetId);
            Assert.Equal(subnet.VpcId, instance.VpcId);
            Assert.Contains(vpcs, v => v.VpcId == instance.VpcId);
            Assert.Contains(instance.State.Name.Value, new[] { "running", "stopped" });
            Assert.Contains(instance.Tags, t => t.Key == "Application");
        }
        Assert.Contains(subnets, s => s.Tags.Any(t => t.Key == "Layer" && t.Value == "public"));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }

    [Fact]
    public async Task Ec2_describe_regions_lists_an_opt_in_region_that_is_not_enabled()
    {
        using var ec2 = Ec2();
        var regions = (await ec2.DescribeRegionsAsync(new DescribeRegionsRequest { AllRegions = true })).Regions;
        Assert.Contains(regions, r => r.RegionName == "ap-east-1" && r.OptInStatus == "not-opted-in");
        Assert.Contains(regions, r => r.RegionName == "eu-west-1");
    }

    [Fact]
    public async Task Throttling_is_classified_as_throttling_by_the_sdk()
    {
        await using var throttled = await CloudInventory.Simulator.SimulatedCloud.StartAsync(new CloudInventory.Simulator.SimulatorOptions { Seed = 7, ThrottleRate = 1.0 });
        var key = throttled.ManagementAccessKey;
        var config = new AmazonEC2Config { ServiceURL = throttled.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 };
        using var ec2 = new AmazonEC2Client(new Amazon.Runtime.BasicAWSCredentials(key, throttled.SecretFor(key)), config);
        var ex = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));
        Assert.Equal("RequestLimitExceeded", ex.ErrorCode);
        Assert.True(new Amazon.Runtime.Internal.StandardRetryPolicy(config).IsThrottlingError(ex));
    }

    [Fact]
    public async Task Unknown_access_key_is_rejected_like_aws_does()
    {
        var config = fixture.Configure(new AmazonEC2Config());
        using var ec2 = new AmazonEC2Client(new Amazon.Runtime.BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "secret"), config);
        var ex = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));
        Assert.Equal("AuthFailure", ex.ErrorCode);
    }

    [Fact]
    public async Task Json_rest_xml_and_query_compatible_services_parse_in_their_sdks()
    {
        var creds = fixture.ManagementCredentials;
        using var s3 = new Amazon.S3.AmazonS3Client(creds, fixture.Configure(new Amazon.S3.AmazonS3Config { ForcePathStyle = true }));
        var buckets = await s3.ListBucketsAsync(new Amazon.S3.Model.ListBucketsRequest());
        Assert.NotEmpty(buckets.Buckets);

        using var dynamo = new Amazon.DynamoDBv2.AmazonDynamoDBClient(creds, fixture.Configure(new Amazon.DynamoDBv2.AmazonDynamoDBConfig()));
        var tables = await dynamo.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest());
        Assert.NotEmpty(tables.TableNames);
        var table = await dynamo.DescribeTableAsync(new Amazon.DynamoDBv2.Model.DescribeTableRequest { TableName = tables.TableNames[0] });
        Assert.NotNull(table.Table.TableName);

        using var sqs = new Amazon.SQS.AmazonSQSClient(creds, fixture.Configure(new Amazon.SQS.AmazonSQSConfig()));
        var queues = await sqs.ListQueuesAsync(new Amazon.SQS.Model.ListQueuesRequest());
        Assert.NotEmpty(queues.QueueUrls);

        using var kms = new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(creds, fixture.Configure(new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig()));
        var keys = await kms.ListKeysAsync(new Amazon.KeyManagementService.Model.ListKeysRequest());
        Assert.NotEmpty(keys.Keys);

        using var ssm = new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(creds, fixture.Configure(new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig()));
        var parameters = await ssm.DescribeParametersAsync(new Amazon.SimpleSystemsManagement.Model.DescribeParametersRequest());
        Assert.NotEmpty(parameters.Parameters);
    }

    [Fact]
    public async Task S3_bucket_calls_answer_per_bucket_with_real_s3_errors_and_redirects()
    {
        var creds = fixture.ManagementCredentials;
        using var s3 = new Amazon.S3.AmazonS3Client(creds, fixture.Configure(new Amazon.S3.AmazonS3Config { ForcePathStyle = true }));
        var buckets = (await s3.ListBucketsAsync(new Amazon.S3.Model.ListBucketsRequest())).Buckets;
        var sawMissingTags = false;
        var sawRedirect = false;
        foreach (var bucket in buckets)
        {
            var location = await s3.GetBucketLocationAsync(new Amazon.S3.Model.GetBucketLocationRequest { BucketName = bucket.BucketName });
            var region = string.IsNullOrEmpty(location.Location?.Value) ? "us-east-1" : location.Location.Value;
            Assert.Contains(region, fixture.Cloud.World.Regions);
            Assert.Equal(bucket.BucketRegion, region);
            if (region != "us-east-1")
            {
                var wrong = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => s3.GetBucketVersioningAsync(new Amazon.S3.Model.GetBucketVersioningRequest { BucketName = bucket.BucketName }));
                Assert.Equal(System.Net.HttpStatusCode.MovedPermanently, wrong.StatusCode);
                sawRedirect = true;
                continue;
            }
            try
            {
                var tags = await s3.GetBucketTaggingAsync(new Amazon.S3.Model.GetBucketTaggingRequest { BucketName = bucket.BucketName });
                Assert.Contains(tags.TagSet, t => t.Key == "Application");
            }
            catch (Amazon.S3.AmazonS3Exception e) when (e.ErrorCode == "NoSuchTagSet")
            {
                sawMissingTags = true;
            }
        }
        Assert.True(sawRedirect || buckets.All(b => b.BucketRegion == "us-east-1"));
        _ = sawMissingTags;
    }
}
