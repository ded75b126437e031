using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Protocols;
using CloudInventory.Simulator;
using CloudInventory.Simulator.Protocols;
using CloudInventory.Tests.Simulator;

namespace CloudInventory.Tests.Aws.Protocols;

/// <summary>
/// A local HTTP listener (the simulator) captures what the AWS SDK for .NET's typed clients send for
/// List/Describe calls with parameters (filters, lists, maps, page tokens), and what the engine sends
/// for the same inputs; the two must be equivalent: method, path, query, form or JSON body, X-Amz-Target.
/// </summary>
public sealed class RequestEquivalenceTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<SimulatedRequest> _seen = new();
    private SimulatedCloud _cloud = null!;

    public async Task InitializeAsync() =>
        _cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 4, Date = SimulatorFixture.Day, OnRequest = _seen.Enqueue });

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    private Amazon.Runtime.AWSCredentials SdkCredentials => new Amazon.Runtime.BasicAWSCredentials(_cloud.ManagementAccessKey, _cloud.SecretFor(_cloud.ManagementAccessKey));

    private T Config<T>(T config) where T : Amazon.Runtime.ClientConfig
    {
        config.ServiceURL = _cloud.Endpoint.ToString();
        config.AuthenticationRegion = "us-east-1";
        config.MaxErrorRetry = 0;
        return config;
    }

    private async Task<SimulatedRequest> CaptureAsync(Func<Task> call)
    {
        _seen.Clear();
        try
        {
            await call();
        }
        catch (Amazon.Runtime.AmazonServiceException)
        {
            // An error answer (e.g. no such bucket) still shows what was sent.
        }
        catch (AwsApiException)
        {
        }
        Assert.True(_seen.TryDequeue(out var request), "no request reached the listener");
        return request!;
    }

    private Task<SimulatedRequest> EngineAsync(string service, string operation, string input) => CaptureAsync(async () =>
    {
        using var client = new AwsClient(new AwsClientOptions
        {
            Region = "us-east-1",
            Credentials = AwsCredentialSource.Static(_cloud.ManagementAccessKey, _cloud.SecretFor(_cloud.ManagementAccessKey)),
            EndpointUrl = _cloud.Endpoint,
            Retry = new AwsRetryOptions { MaxAttempts = 1 },
        });
        await client.CallAsync(service, operation, JsonNode.Parse(input)!.AsObject(), new ValueTreeBuilder());
    });

    private static void Equivalent(SimulatedRequest sdk, SimulatedRequest ours)
    {
        Assert.Equal(sdk.Method, ours.Method);
        // "/bucket/" and "/bucket" address the same S3 bucket; the SDK adds the slash, the engine does not.
        Assert.Equal(Uri.UnescapeDataString(sdk.RawPath).TrimEnd('/'), Uri.UnescapeDataString(ours.RawPath).TrimEnd('/'));
        Assert.Equal(sdk.Query.OrderBy(q => q.Key, StringComparer.Ordinal).ThenBy(q => q.Value, StringComparer.Ordinal),
            ours.Query.OrderBy(q => q.Key, StringComparer.Ordinal).ThenBy(q => q.Value, StringComparer.Ordinal));
        Assert.Equal(sdk.Headers.GetValueOrDefault("X-Amz-Target"), ours.Headers.GetValueOrDefault("X-Amz-Target"));
        var type = sdk.Headers.GetValueOrDefault("Content-Type") ?? "";
        if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            Assert.Equal(Form(sdk.Body), Form(ours.Body));
        }
        else if (sdk.Body.Length > 0 || ours.Body.Length > 0)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sdk.Body), JsonNode.Parse(ours.Body)),
                $"SDK {Encoding.UTF8.GetString(sdk.Body)} != engine {Encoding.UTF8.GetString(ours.Body)}");
        }
    }

    private static SortedDictionary<string, string> Form(byte[] body) =>
        new(SimulatedRequest.ParseQueryString(Encoding.UTF8.GetString(body)).ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);

    [Fact]
    public async Task Ec2_describe_instances_with_filters_ids_and_a_page_token()
    {
        using var ec2 = new Amazon.EC2.AmazonEC2Client(SdkCredentials, Config(new Amazon.EC2.AmazonEC2Config()));
        var sdk = await CaptureAsync(() => ec2.DescribeInstancesAsync(new Amazon.EC2.Model.DescribeInstancesRequest
        {
            Filters = [new("instance-state-name", ["running", "stopped"]), new("tag:Application", ["checkout"])],
            InstanceIds = ["i-0123456789abcdef0", "i-0fedcba9876543210"],
            MaxResults = 5,
            NextToken = "c2ltOjU=",
        }));
        var ours = await EngineAsync("ec2", "DescribeInstances", """
            { "Filters": [ { "Name": "instance-state-name", "Values": ["running", "stopped"] }, { "Name": "tag:Application", "Values": ["checkout"] } ],
              "InstanceIds": ["i-0123456789abcdef0", "i-0fedcba9876543210"], "MaxResults": 5, "NextToken": "c2ltOjU=" }
            """);
        Equivalent(sdk, ours);
    }

    [Fact]
    public async Task Dynamodb_list_tables_with_a_start_key_and_limit()
    {
        using var ddb = new Amazon.DynamoDBv2.AmazonDynamoDBClient(SdkCredentials, Config(new Amazon.DynamoDBv2.AmazonDynamoDBConfig()));
        var sdk = await CaptureAsync(() => ddb.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest { ExclusiveStartTableName = "orders", Limit = 7 }));
        var ours = await EngineAsync("dynamodb", "ListTables", """{ "ExclusiveStartTableName": "orders", "Limit": 7 }""");
        Equivalent(sdk, ours);
    }

    [Fact]
    public async Task Ssm_describe_parameters_with_filters_of_lists()
    {
        using var ssm = new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(SdkCredentials, Config(new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig()));
        var sdk = await CaptureAsync(() => ssm.DescribeParametersAsync(new Amazon.SimpleSystemsManagement.Model.DescribeParametersRequest
        {
            ParameterFilters = [new() { Key = "Path", Option = "Recursive", Values = ["/app", "/shared"] }],
            MaxResults = 10,
            NextToken = "abc",
        }));
        var ours = await EngineAsync("ssm", "DescribeParameters", """
            { "ParameterFilters": [ { "Key": "Path", "Option": "Recursive", "Values": ["/app", "/shared"] } ], "MaxResults": 10, "NextToken": "abc" }
            """);
        Equivalent(sdk, ours);
    }

    [Fact]
    public async Task Kms_list_keys_with_a_marker()
    {
        using var kms = new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(SdkCredentials, Config(new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig()));
        var sdk = await CaptureAsync(() => kms.ListKeysAsync(new Amazon.KeyManagementService.Model.ListKeysRequest { Limit = 20, Marker = "m-1" }));
        var ours = await EngineAsync("kms", "ListKeys", """{ "Limit": 20, "Marker": "m-1" }""");
        Equivalent(sdk, ours);
    }

    [Fact]
    public async Task Sqs_list_queues_with_a_prefix()
    {
        using var sqs = new Amazon.SQS.AmazonSQSClient(SdkCredentials, Config(new Amazon.SQS.AmazonSQSConfig()));
        var sdk = await CaptureAsync(() => sqs.ListQueuesAsync(new Amazon.SQS.Model.ListQueuesRequest { QueueNamePrefix = "orders", MaxResults = 50 }));
        var ours = await EngineAsync("sqs", "ListQueues", """{ "QueueNamePrefix": "orders", "MaxResults": 50 }""");
        Equivalent(sdk, ours);
    }

    [Fact]
    public async Task Sts_get_caller_identity()
    {
        using var sts = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(SdkCredentials, Config(new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig()));
        var sdk = await CaptureAsync(() => sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest()));
        var ours = await EngineAsync("sts", "GetCallerIdentity", "{}");
        Equivalent(sdk, ours);
    }

    [Fact]
    public async Task S3_list_objects_v2_with_prefix_limit_and_continuation()
    {
        using var s3 = new Amazon.S3.AmazonS3Client(SdkCredentials, Config(new Amazon.S3.AmazonS3Config { ForcePathStyle = true }));
        var sdk = await CaptureAsync(() => s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request
        {
            BucketName = "logs-bucket", Prefix = "2026/11/", MaxKeys = 100, ContinuationToken = "token+/=", Delimiter = "/",
        }));
        var ours = await EngineAsync("s3", "ListObjectsV2", """{ "Bucket": "logs-bucket", "Prefix": "2026/11/", "MaxKeys": 100, "ContinuationToken": "token+/=", "Delimiter": "/" }""");
        Equivalent(sdk, ours);
    }
}
