using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Tests.Aws.Protocols;

/// <summary>
/// Cross-checks <see cref="AwsProtocolReader"/> on real models against the AWS SDK for .NET's own
/// generated unmarshallers: the same response bytes must give the same values, member by member.
/// </summary>
public class AwsProtocolReaderSdkTests
{
    [Fact]
    public void Reads_ec2_describe_instances_like_the_sdk()
    {
        var body = """
            <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>
            <reservationSet><item><reservationId>r-1</reservationId><ownerId>123456789012</ownerId>
              <groupSet><item><groupId>sg-1</groupId><groupName>default</groupName></item></groupSet>
              <instancesSet><item>
                <instanceId>i-1</instanceId><imageId>ami-1</imageId>
                <instanceState><code>16</code><name>running</name></instanceState>
                <privateDnsName>ip-10-0-0-1.ec2.internal</privateDnsName><amiLaunchIndex>0</amiLaunchIndex>
                <instanceType>t3.micro</instanceType><launchTime>2024-02-03T04:05:06.123Z</launchTime>
                <placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement>
                <monitoring><state>disabled</state></monitoring><subnetId>subnet-1</subnetId><vpcId>vpc-1</vpcId>
                <sourceDestCheck>true</sourceDestCheck>
                <blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-1</volumeId><status>attached</status>
                  <attachTime>2024-02-03T04:05:07.000Z</attachTime><deleteOnTermination>True</deleteOnTermination></ebs></item></blockDeviceMapping>
                <tagSet><item><key>Name</key><value>web</value></item><item><key>env</key><value>prod</value></item></tagSet>
                <ebsOptimized>false</ebsOptimized><enaSupport>true</enaSupport>
                <cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>
                <networkInterfaceSet><item><networkInterfaceId>eni-1</networkInterfaceId>
                  <privateIpAddressesSet><item><privateIpAddress>10.0.0.1</privateIpAddress><primary>true</primary></item></privateIpAddressesSet>
                </item></networkInterfaceSet>
              </item></instancesSet></item></reservationSet><nextToken>n</nextToken></DescribeInstancesResponse>
            """;
        var sdk = UnmarshallXml(Amazon.EC2.Model.Internal.MarshallTransformations.DescribeInstancesResponseUnmarshaller.Instance, body);
        var compared = CompareWithSdk("ec2", "DescribeInstances", body, sdk);
        Assert.True(compared >= 35, $"only {compared} values compared");
    }

    [Fact]
    public void Reads_ssm_describe_instance_information_like_the_sdk()
    {
        var body = """
            {"InstanceInformationList":[{"InstanceId":"i-1","PingStatus":"Online","LastPingDateTime":1.706933106785E9,
              "AgentVersion":"3.2.2016.0","IsLatestVersion":false,"PlatformType":"Linux","PlatformName":"Amazon Linux",
              "IPAddress":"10.0.0.1","LastAssociationExecutionDate":1706933000.123,
              "AssociationOverview":{"DetailedStatus":"Success","InstanceAssociationStatusAggregatedCount":{"Success":2,"Failed":1}},
              "SourceType":"AWS::EC2::Instance","Unknown":{"a":[1]}}],"NextToken":"abc"}
            """;
        var sdk = UnmarshallJson(Amazon.SimpleSystemsManagement.Model.Internal.MarshallTransformations.DescribeInstanceInformationResponseUnmarshaller.Instance, body);
        var compared = CompareWithSdk("ssm", "DescribeInstanceInformation", body, sdk);
        Assert.True(compared >= 14, $"only {compared} values compared");
    }

    [Fact]
    public void Reads_dynamodb_describe_table_like_the_sdk()
    {
        var body = """
            {"Table":{"TableName":"t","TableStatus":"ACTIVE","CreationDateTime":1.5e9,"ItemCount":12,"TableSizeBytes":3400,
              "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
              "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
              "ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":5},
              "BillingModeSummary":{"BillingMode":"PROVISIONED"},"DeletionProtectionEnabled":true,
              "GlobalSecondaryIndexes":[{"IndexName":"g","IndexStatus":"ACTIVE","Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b"]}}]}}
            """;
        var sdk = UnmarshallJson(Amazon.DynamoDBv2.Model.Internal.MarshallTransformations.DescribeTableResponseUnmarshaller.Instance, body);
        var compared = CompareWithSdk("dynamodb", "DescribeTable", body, sdk);
        Assert.True(compared >= 20, $"only {compared} values compared");
    }

    [Fact]
    public void Reads_s3_list_objects_v2_like_the_sdk()
    {
        var body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><Prefix>logs/</Prefix>
              <KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>
              <Contents><Key>logs/a.gz</Key><LastModified>2024-05-01T10:00:00.000Z</LastModified><ETag>"e1"</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents>
              <Contents><Key>logs/b.gz</Key><LastModified>2024-05-02T10:00:00.000Z</LastModified><ETag>"e2"</ETag><Size>20</Size><StorageClass>GLACIER</StorageClass></Contents>
            </ListBucketResult>
            """;
        // (CommonPrefixes is left out: the SDK customizes it into a list of strings.)
        var sdk = UnmarshallXml(Amazon.S3.Model.Internal.MarshallTransformations.ListObjectsV2ResponseUnmarshaller.Instance, body);
        var compared = CompareWithSdk("s3", "ListObjectsV2", body, sdk, new() { ["Contents"] = "S3Objects" });
        Assert.True(compared >= 15, $"only {compared} values compared");
    }

    private static object UnmarshallXml(ResponseUnmarshaller unmarshaller, string body)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return unmarshaller.Unmarshall(new XmlUnmarshallerContext(stream, false, new ResponseData(), false));
    }

    private static object UnmarshallJson(ResponseUnmarshaller unmarshaller, string body)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return unmarshaller.Unmarshall(new JsonUnmarshallerContext(stream, false, new ResponseData(), false));
    }

    /// <summary>Reads the body with our reader and compares every value with the SDK's object; returns how many leaf values matched.</summary>
    private static int CompareWithSdk(string service, string operation, string body, object sdk, Dictionary<string, string>? renamed = null)
    {
        var op = AwsModelBundle.Default.GetService(service).Operations[operation];
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(op, AwsHttpResponse.Create(200, [], Encoding.UTF8.GetBytes(body)), tree);
        var count = 0;
        Compare(tree.Root, sdk, "$", renamed ?? [], ref count);
        return count;
    }

    private static void Compare(JsonNode? ours, object? sdk, string path, Dictionary<string, string> renamed, ref int count)
    {
        switch (ours)
        {
            case JsonObject obj when sdk is IDictionary dict:
                Assert.True(obj.Count == dict.Count, $"{path}: {obj.Count} entries, the SDK has {dict.Count}");
                foreach (var (key, value) in obj) Compare(value, dict[key], $"{path}[{key}]", renamed, ref count);
                return;
            case JsonObject obj:
                Assert.True(sdk is not null, $"{path}: the SDK has no value");
                foreach (var (key, value) in obj)
                {
                    var property = sdk!.GetType().GetProperty(renamed.GetValueOrDefault(key, key), BindingFlags.Public | BindingFlags.Instance)
                        ?? throw new Xunit.Sdk.XunitException($"{path}.{key}: no such property on {sdk.GetType().Name}");
                    Compare(value, property.GetValue(sdk), $"{path}.{key}", renamed, ref count);
                }
                return;
            case JsonArray array:
                var list = Assert.IsAssignableFrom<IList>(sdk);
                Assert.True(array.Count == list.Count, $"{path}: {array.Count} items, the SDK has {list.Count}");
                for (var i = 0; i < array.Count; i++) Compare(array[i], list[i], $"{path}[{i}]", renamed, ref count);
                return;
            case JsonValue value:
                Assert.True(sdk is not null, $"{path}: the SDK has no value for {value.ToJsonString()}");
                var expected = sdk switch
                {
                    DateTime t => new DateTimeOffset(t.ToUniversalTime()).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    IConvertible c when sdk is not string and not bool => Convert.ToDecimal(c, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                    _ => sdk!.ToString(),
                };
                var actual = value.TryGetValue<DateTimeOffset>(out var ts) ? ts.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)
                    : value.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture)
                    : value.TryGetValue<double>(out var d) ? ((decimal)d).ToString(CultureInfo.InvariantCulture)
                    : value.TryGetValue<bool>(out var b) ? b.ToString()
                    : value.GetValue<string>();
                Assert.True(expected == actual, $"{path}: ours {actual}, the SDK's {expected}");
                count++;
                return;
            default:
                Assert.True(sdk is null, $"{path}: we have nothing, the SDK has {sdk}");
                return;
        }
    }

    private sealed class ResponseData : IWebResponseData
    {
        public long ContentLength => 0;
        public string ContentType => "";
        public System.Net.HttpStatusCode StatusCode => System.Net.HttpStatusCode.OK;
        public bool IsSuccessStatusCode => true;
        public IHttpResponseBody ResponseBody => null!;
        public string[] GetHeaderNames() => [];
        public bool IsHeaderPresent(string headerName) => false;
        public string GetHeaderValue(string headerName) => null!;
        public Amazon.Runtime.EventStreams.IEventStreamHeader GetEventStreamHeader(string headerName) => null!;
        public bool IsEventHeaderPresent(string headerName) => false;
    }
}
