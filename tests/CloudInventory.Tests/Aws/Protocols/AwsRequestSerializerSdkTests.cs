using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime.Internal;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using Ddb = Amazon.DynamoDBv2.Model;
using DdbMarshall = Amazon.DynamoDBv2.Model.Internal.MarshallTransformations;
using Ec2 = Amazon.EC2.Model;
using Ec2Marshall = Amazon.EC2.Model.Internal.MarshallTransformations;
using Kms = Amazon.KeyManagementService.Model;
using KmsMarshall = Amazon.KeyManagementService.Model.Internal.MarshallTransformations;
using S3 = Amazon.S3.Model;
using S3Marshall = Amazon.S3.Model.Internal.MarshallTransformations;
using Sqs = Amazon.SQS.Model;
using SqsMarshall = Amazon.SQS.Model.Internal.MarshallTransformations;
using Ssm = Amazon.SimpleSystemsManagement.Model;
using SsmMarshall = Amazon.SimpleSystemsManagement.Model.Internal.MarshallTransformations;
using Sts = Amazon.SecurityToken.Model;
using StsMarshall = Amazon.SecurityToken.Model.Internal.MarshallTransformations;

namespace CloudInventory.Tests.Aws.Protocols;

/// <summary>
/// Cross-checks the model-driven serializer against the AWS SDK for .NET's own generated
/// marshallers for the same calls: same form parameters (ec2, query), same JSON body and target
/// (json), same path and query parameters (rest-xml).
/// </summary>
public class AwsRequestSerializerSdkTests
{
    private static AwsHttpRequest Ours(string service, string operation, string json) =>
        AwsRequestSerializer.Serialize(AwsModelBundle.Default.GetService(service).Operations[operation], JsonNode.Parse(json)!.AsObject());

    private static SortedDictionary<string, string> FormPairs(AwsHttpRequest request)
    {
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in Encoding.UTF8.GetString(request.Body).Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(Uri.UnescapeDataString(part[..eq]), Uri.UnescapeDataString(part[(eq + 1)..]));
        }
        return pairs;
    }

    private static SortedDictionary<string, string> SdkPairs(IRequest request) =>
        new(request.ParameterCollection.GetSortedParametersList().ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);

    private static void SameJson(IRequest sdk, AwsHttpRequest ours)
    {
        using var content = new MemoryStream();
        sdk.ContentStream.Position = 0;
        sdk.ContentStream.CopyTo(content);
        var expected = JsonNode.Parse(content.ToArray());
        var actual = JsonNode.Parse(ours.Body);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"SDK {expected?.ToJsonString()} != ours {actual?.ToJsonString()}");
        Assert.Equal(sdk.Headers["X-Amz-Target"], ours.Headers["X-Amz-Target"]);
        Assert.Equal(sdk.Headers["Content-Type"], ours.Headers["Content-Type"]);
        Assert.Equal(sdk.Headers.TryGetValue("x-amzn-query-mode", out var mode) ? mode : null, ours.Headers.GetValueOrDefault("x-amzn-query-mode"));
    }

    [Fact]
    public void Ec2_describe_calls_match_the_sdk_marshallers()
    {
        var sdk = Ec2Marshall.DescribeInstancesRequestMarshaller.Instance.Marshall(new Ec2.DescribeInstancesRequest
        {
            Filters = [new Ec2.Filter("instance-state-name", ["running", "stopped"]), new Ec2.Filter("tag:env", ["prod"])],
            InstanceIds = ["i-1", "i-2"],
            MaxResults = 50,
            NextToken = "token/+=",
        });
        var ours = Ours("ec2", "DescribeInstances", """
            {"Filters": [{"Name": "instance-state-name", "Values": ["running", "stopped"]}, {"Name": "tag:env", "Values": ["prod"]}],
             "InstanceIds": ["i-1", "i-2"], "MaxResults": 50, "NextToken": "token/+="}
            """);
        Assert.Equal(SdkPairs(sdk), FormPairs(ours));

        var snapshots = Ec2Marshall.DescribeSnapshotsRequestMarshaller.Instance.Marshall(new Ec2.DescribeSnapshotsRequest
        {
            OwnerIds = ["self"],
            RestorableByUserIds = ["123456789012"],
        });
        Assert.Equal(SdkPairs(snapshots), FormPairs(Ours("ec2", "DescribeSnapshots", """{"OwnerIds": ["self"], "RestorableByUserIds": ["123456789012"]}""")));
    }

    [Fact]
    public void Query_calls_match_the_sdk_marshallers()
    {
        var sdk = StsMarshall.AssumeRoleRequestMarshaller.Instance.Marshall(new Sts.AssumeRoleRequest
        {
            RoleArn = "arn:aws:iam::123456789012:role/reader",
            RoleSessionName = "cloudinv",
            DurationSeconds = 900,
            Tags = [new Sts.Tag { Key = "team", Value = "platform" }],
            PolicyArns = [new Sts.PolicyDescriptorType { Arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
        });
        var ours = Ours("sts", "AssumeRole", """
            {"RoleArn": "arn:aws:iam::123456789012:role/reader", "RoleSessionName": "cloudinv", "DurationSeconds": 900,
             "Tags": [{"Key": "team", "Value": "platform"}], "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}
            """);
        Assert.Equal(SdkPairs(sdk), FormPairs(ours));
    }

    [Fact]
    public void Json_calls_match_the_sdk_marshallers()
    {
        SameJson(
            DdbMarshall.ScanRequestMarshaller.Instance.Marshall(new Ddb.ScanRequest
            {
                TableName = "things",
                Limit = 100,
                ExclusiveStartKey = new() { ["pk"] = new Ddb.AttributeValue { S = "a" }, ["n"] = new Ddb.AttributeValue { N = "1" } },
            }),
            Ours("dynamodb", "Scan", """{"TableName": "things", "Limit": 100, "ExclusiveStartKey": {"pk": {"S": "a"}, "n": {"N": "1"}}}"""));
        SameJson(
            KmsMarshall.ListKeysRequestMarshaller.Instance.Marshall(new Kms.ListKeysRequest { Limit = 10, Marker = "m" }),
            Ours("kms", "ListKeys", """{"Limit": 10, "Marker": "m"}"""));
        SameJson(
            SsmMarshall.GetParametersByPathRequestMarshaller.Instance.Marshall(new Ssm.GetParametersByPathRequest
            {
                Path = "/app",
                Recursive = true,
                ParameterFilters = [new Ssm.ParameterStringFilter { Key = "Type", Option = "Equals", Values = ["SecureString"] }],
            }),
            Ours("ssm", "GetParametersByPath", """
                {"Path": "/app", "Recursive": true, "ParameterFilters": [{"Key": "Type", "Option": "Equals", "Values": ["SecureString"]}]}
                """));
        SameJson(
            SqsMarshall.ListQueuesRequestMarshaller.Instance.Marshall(new Sqs.ListQueuesRequest { QueueNamePrefix = "jobs", MaxResults = 10 }),
            Ours("sqs", "ListQueues", """{"QueueNamePrefix": "jobs", "MaxResults": 10}"""));
    }

    [Fact]
    public void Rest_xml_calls_match_the_sdk_marshallers()
    {
        var sdk = S3Marshall.ListObjectsV2RequestMarshaller.Instance.Marshall(new S3.ListObjectsV2Request
        {
            BucketName = "my-bucket",
            Prefix = "logs/2024",
            MaxKeys = 10,
            ContinuationToken = "abc",
        });
        var ours = Ours("s3", "ListObjectsV2", """{"Bucket": "my-bucket", "Prefix": "logs/2024", "MaxKeys": 10, "ContinuationToken": "abc"}""");
        Assert.Equal(sdk.HttpMethod, ours.Method);
        var sdkQuery = SdkPairs(sdk);
        foreach (var (key, value) in sdk.SubResources) sdkQuery[key] = value ?? "";
        var ourQuery = new SortedDictionary<string, string>(ours.Query.ToDictionary(p => p.Key, p => p.Value ?? ""), StringComparer.Ordinal);
        Assert.Equal(sdkQuery, ourQuery);
        // The SDK moves the bucket into the host (endpoint rules) after marshalling; we send it path-style.
        Assert.Equal("/my-bucket", ours.Path);
    }
}
