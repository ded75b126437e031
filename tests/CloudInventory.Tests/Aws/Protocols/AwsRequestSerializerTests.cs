using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Tests.Aws.Protocols;

public class AwsRequestSerializerTests
{
    private static Operation Op(string service, string operation) =>
        AwsModelBundle.Default.GetService(service).Operations[operation];

    private static string Body(AwsHttpRequest request) => Encoding.UTF8.GetString(request.Body);

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private static AwsRequestException Fails(string service, string operation, string json) =>
        Assert.Throws<AwsRequestException>(() => AwsRequestSerializer.Serialize(Op(service, operation), Json(json)));

    [Fact]
    public void Serializes_ec2_filters_as_flattened_lists_under_their_location_names()
    {
        var request = AwsRequestSerializer.Serialize(Op("ec2", "DescribeInstances"), Json("""
            {"Filters": [{"Name": "instance-state-name", "Values": ["running", "stopped"]}], "MaxResults": 5, "DryRun": false}
            """));
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.PathAndQuery);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(
            "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1.Value.1=running" +
            "&Filter.1.Value.2=stopped&MaxResults=5&DryRun=false",
            Body(request));
    }

    [Fact]
    public void Serializes_query_lists_with_member_prefixes()
    {
        var request = AwsRequestSerializer.Serialize(Op("cloudwatch", "ListMetrics"), Json("""
            {"Namespace": "AWS/EC2", "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}], "RecentlyActive": "PT3H"}
            """));
        Assert.Equal(
            "Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FEC2&Dimensions.member.1.Name=InstanceId" +
            "&Dimensions.member.1.Value=i-1&RecentlyActive=PT3H",
            Body(request));
    }

    [Fact]
    public void Accepts_numbers_booleans_and_timestamps_given_as_strings()
    {
        var typed = AwsRequestSerializer.Serialize(Op("ec2", "DescribeInstances"), Json("""{"MaxResults": 5, "DryRun": true}"""));
        var strings = AwsRequestSerializer.Serialize(Op("ec2", "DescribeInstances"), Json("""{"MaxResults": "5", "DryRun": "True"}"""));
        Assert.Equal(Body(typed), Body(strings));

        var op = Op("cloudwatch", "DescribeAlarmHistory");
        string Start(JsonNode start) => Body(AwsRequestSerializer.Serialize(op, new JsonObject { ["StartDate"] = start }));
        var expected = "Action=DescribeAlarmHistory&Version=2010-08-01&StartDate=2015-01-25T08%3A00%3A00Z";
        Assert.Equal(expected, Start(JsonValue.Create(1422172800)));
        Assert.Equal(expected, Start(JsonValue.Create("1422172800")));
        Assert.Equal(expected, Start(JsonValue.Create("2015-01-25T08:00:00Z")));
        Assert.Equal(expected, Start(JsonValue.Create("2015-01-25T09:00:00+01:00")));
        Assert.Equal(expected, Start(JsonValue.Create(new DateTimeOffset(2015, 1, 25, 8, 0, 0, TimeSpan.Zero))));
        Assert.Equal(expected.Replace("00Z", "00.500Z", StringComparison.Ordinal), Start(JsonValue.Create(1422172800.5)));
    }

    [Fact]
    public void Accepts_blobs_as_strings_or_bytes()
    {
        var model = ServiceModel.Parse("blobs", JsonDocument.Parse("""
            {"metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "Blobs", "apiVersion": "2020-01-01"},
             "operations": {"Put": {"input": {"type": "structure", "members": {"Data": {"type": "blob"}}}}}}
            """).RootElement);
        var op = model.Operations["Put"];
        var fromString = AwsRequestSerializer.Serialize(op, new JsonObject { ["Data"] = "value" });
        var fromBytes = AwsRequestSerializer.Serialize(op, new JsonObject { ["Data"] = JsonValue.Create("value"u8.ToArray()) });
        Assert.Equal("""{"Data":"dmFsdWU="}""", Body(fromString));
        Assert.Equal(Body(fromString), Body(fromBytes));
        Assert.Equal("Blobs.Put", fromString.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", fromString.Headers["Content-Type"]);
    }

    [Fact]
    public void Serializes_json_protocol_calls_with_target_header_and_empty_object_body()
    {
        var request = AwsRequestSerializer.Serialize(Op("dynamodb", "ListTables"), null);
        Assert.Equal("POST", request.Method);
        Assert.Equal("DynamoDB_20120810.ListTables", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.0", request.Headers["Content-Type"]);
        Assert.Equal("{}", Body(request));

        var limited = AwsRequestSerializer.Serialize(Op("dynamodb", "ListTables"), Json("""{"Limit": 5}"""));
        Assert.Equal("""{"Limit":5}""", Body(limited));
    }

    [Fact]
    public void Expands_s3_uri_labels_and_keeps_the_static_query_first()
    {
        var request = AwsRequestSerializer.Serialize(Op("s3", "ListObjectsV2"), Json("""
            {"Bucket": "my-bucket", "Prefix": "logs/2024 01", "MaxKeys": 10}
            """));
        Assert.Equal("GET", request.Method);
        Assert.Equal("/my-bucket?list-type=2&prefix=logs%2F2024%2001&max-keys=10", request.PathAndQuery);
        Assert.Empty(request.Body);
        Assert.False(request.Headers.ContainsKey("Content-Type"));

        var policy = AwsRequestSerializer.Serialize(Op("s3", "GetBucketPolicy"), Json("""{"Bucket": "b"}"""));
        Assert.Equal("/b?policy", policy.PathAndQuery);
    }

    [Fact]
    public void Keeps_slashes_in_greedy_labels_only()
    {
        var request = AwsRequestSerializer.Serialize(Op("s3", "GetObject"), Json("""{"Bucket": "b", "Key": "a/b c/d.txt"}"""));
        Assert.Equal("/b/a/b%20c/d.txt", request.Path);
    }

    [Fact]
    public void Serializes_rest_json_query_parameters()
    {
        var request = AwsRequestSerializer.Serialize(Op("lambda", "ListFunctions"), Json("""{"MaxItems": 10, "Marker": "a/b"}"""));
        Assert.Equal("GET", request.Method);
        Assert.Equal("/2015-03-31/functions/?MaxItems=10&Marker=a%2Fb", request.PathAndQuery);
        Assert.Empty(request.Body);
    }

    [Fact]
    public void Resolves_host_prefixes_from_host_label_members()
    {
        var request = AwsRequestSerializer.Serialize(Op("s3control", "ListAccessPoints"), Json("""{"AccountId": "123456789012"}"""));
        Assert.Equal("123456789012.", request.HostPrefix);
        Assert.Equal("123456789012", request.Headers["x-amz-account-id"]);

        var missing = Assert.Throws<AwsRequestException>(() => AwsRequestSerializer.Serialize(Op("s3control", "ListAccessPoints"), null));
        Assert.Equal("s3control ListAccessPoints: missing required parameter 'AccountId' (it fills the host prefix '{AccountId}.')", missing.Message);

        var invalid = Fails("s3control", "ListAccessPoints", """{"AccountId": "evil.example.com/"}""");
        Assert.StartsWith("s3control ListAccessPoints: parameter 'AccountId' must be a valid host label", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fills_absent_idempotency_tokens()
    {
        var model = ServiceModel.Parse("tokens", JsonDocument.Parse("""
            {"metadata": {"protocol": "query", "apiVersion": "2020-01-01"},
             "operations": {"Run": {"input": {"type": "structure", "members": {"Token": {"idempotencyToken": true}}}}}}
            """).RootElement);
        var op = model.Operations["Run"];
        var generated = Body(AwsRequestSerializer.Serialize(op, null));
        Assert.Matches("^Action=Run&Version=2020-01-01&Token=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", generated);
        var pinned = Body(AwsRequestSerializer.Serialize(op, null, new AwsSerializerOptions { IdempotencyTokenGenerator = () => "fixed" }));
        Assert.Equal("Action=Run&Version=2020-01-01&Token=fixed", pinned);
        var given = Body(AwsRequestSerializer.Serialize(op, Json("""{"Token": "mine"}""")));
        Assert.Equal("Action=Run&Version=2020-01-01&Token=mine", given);
    }

    [Fact]
    public void Adds_content_md5_when_the_operation_requires_a_checksum()
    {
        var model = ServiceModel.Parse("md5", JsonDocument.Parse("""
            {"metadata": {"protocol": "rest-json", "apiVersion": "2020-01-01"},
             "operations": {"Put": {"http": {"method": "POST", "requestUri": "/things"}, "httpChecksumRequired": true,
               "input": {"type": "structure", "members": {"Name": {}}}}}}
            """).RootElement);
        var request = AwsRequestSerializer.Serialize(model.Operations["Put"], Json("""{"Name": "x"}"""));
        Assert.Equal("""{"Name":"x"}""", Body(request));
        Assert.Equal(Convert.ToBase64String(MD5.HashData(request.Body)), request.Headers["Content-MD5"]);
    }

    [Fact]
    public void Wrong_types_name_the_service_operation_and_member_path()
    {
        var ex = Fails("ec2", "DescribeInstances", """{"Filters": [{"Name": "tag:env", "Values": "prod"}]}""");
        Assert.Equal("""ec2 DescribeInstances: parameter 'Filters[0].Values' must be a list, not "prod" """.TrimEnd(), ex.Message);

        Assert.Equal("ec2 DescribeInstances: parameter 'MaxResults' must be an integer, not \"many\"",
            Fails("ec2", "DescribeInstances", """{"MaxResults": "many"}""").Message);
        Assert.Equal("ec2 DescribeInstances: parameter 'DryRun' must be a boolean, not 1",
            Fails("ec2", "DescribeInstances", """{"DryRun": 1}""").Message);
        Assert.Equal("ec2 DescribeInstances: parameter 'Filters' must be a list, not an object",
            Fails("ec2", "DescribeInstances", """{"Filters": {"Name": "x"}}""").Message);
        Assert.Equal("ec2 DescribeInstances: parameter 'Filters[1]' must be a structure (JSON object), not \"x\"",
            Fails("ec2", "DescribeInstances", """{"Filters": [{"Name": "a"}, "x"]}""").Message);
        Assert.Equal("ec2 DescribeInstances: parameter 'NextToken' must be a string, not a list",
            Fails("ec2", "DescribeInstances", """{"NextToken": ["a"]}""").Message);
        Assert.StartsWith("cloudwatch DescribeAlarmHistory: parameter 'StartDate' must be a timestamp",
            Fails("cloudwatch", "DescribeAlarmHistory", """{"StartDate": "yesterday-ish"}""").Message, StringComparison.Ordinal);
        Assert.Equal("dynamodb Scan: parameter 'ExclusiveStartKey[\"pk\"].N' must be a string, not an object",
            Fails("dynamodb", "Scan", """{"TableName": "t", "ExclusiveStartKey": {"pk": {"N": {}}}}""").Message);
    }

    [Fact]
    public void Unknown_members_are_rejected_with_a_suggestion()
    {
        var ex = Fails("ec2", "DescribeInstances", """{"Filters": [{"Nmae": "x"}]}""");
        Assert.Equal("ec2 DescribeInstances: unknown parameter 'Filters[0].Nmae'; did you mean 'Name'?", ex.Message);

        var top = Fails("s3", "ListObjectsV2", """{"Bucket": "b", "Colour": "blue"}""");
        Assert.Equal("s3 ListObjectsV2: unknown parameter 'Colour'", top.Message);
    }

    [Fact]
    public void Member_names_match_case_insensitively_when_unambiguous()
    {
        var exact = AwsRequestSerializer.Serialize(Op("ec2", "DescribeInstances"), Json("""{"MaxResults": 5}"""));
        var lower = AwsRequestSerializer.Serialize(Op("ec2", "DescribeInstances"), Json("""{"maxresults": 5}"""));
        Assert.Equal(Body(exact), Body(lower));
    }

    [Fact]
    public void Missing_uri_labels_are_rejected()
    {
        var ex = Fails("s3", "GetBucketPolicy", "{}");
        Assert.Equal("s3 GetBucketPolicy: missing required parameter 'Bucket' (it fills the URI label {Bucket})", ex.Message);

        var empty = Fails("s3", "GetBucketPolicy", """{"Bucket": ""}""");
        Assert.Equal("s3 GetBucketPolicy: parameter 'Bucket' must not be empty (it fills the URI label {Bucket})", empty.Message);
    }

    [Fact]
    public void Missing_required_members_are_rejected_at_any_depth()
    {
        Assert.Equal("dynamodb DescribeTable: missing required parameter 'TableName'",
            Fails("dynamodb", "DescribeTable", "{}").Message);
        Assert.Equal("cloudwatch ListMetrics: missing required parameter 'Dimensions[0].Name'",
            Fails("cloudwatch", "ListMetrics", """{"Dimensions": [{"Value": "v"}]}""").Message);
        Assert.Equal("ec2 DescribeInstances: parameter 'MaxResults' is given more than once",
            Fails("ec2", "DescribeInstances", """{"MaxResults": 5, "maxResults": 6}""").Message);
    }

    [Fact]
    public void Header_values_with_line_breaks_are_rejected()
    {
        var ex = Fails("s3", "GetObject", """{"Bucket": "b", "Key": "k", "IfMatch": "a\r\nX-Evil: 1"}""");
        Assert.Equal("s3 GetObject: parameter 'IfMatch' must not contain line breaks (it travels in the header 'If-Match')", ex.Message);
    }

    [Fact]
    public void Errors_are_one_line()
    {
        var ex = Fails("ec2", "DescribeInstances", """{"Filters": [{"Name": "a\nb", "Values": {"x": 1}}]}""");
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Parameters_for_an_operation_without_input_are_rejected()
    {
        var model = ServiceModel.Parse("bare", JsonDocument.Parse("""
            {"metadata": {"protocol": "json", "jsonVersion": "1.0", "targetPrefix": "Bare", "apiVersion": "2020-01-01"},
             "operations": {"Ping": {}}}
            """).RootElement);
        var ex = Assert.Throws<AwsRequestException>(() => AwsRequestSerializer.Serialize(model.Operations["Ping"], Json("""{"x": 1}""")));
        Assert.Equal("bare Ping: unknown parameter 'x': the operation takes no parameters", ex.Message);
        Assert.Equal("{}", Body(AwsRequestSerializer.Serialize(model.Operations["Ping"], null)));
    }
}
