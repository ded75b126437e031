using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Tests.Aws.Protocols;

public class AwsProtocolReaderTests
{
    private const string DescribeInstancesBody = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
            <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
            <reservationSet>
                <item>
                    <reservationId>r-1234567890abcdef0</reservationId>
                    <ownerId>123456789012</ownerId>
                    <instancesSet>
                        <item>
                            <instanceId>i-1234567890abcdef0</instanceId>
                            <instanceType>t3.micro</instanceType>
                            <instanceState><code>16</code><name>running</name></instanceState>
                            <launchTime>2024-02-03T04:05:06.000Z</launchTime>
                            <ebsOptimized>False</ebsOptimized>
                            <tagSet>
                                <item><key>Name</key><value>web &amp; api</value></item>
                                <item><key>env</key><value/></item>
                            </tagSet>
                            <unknownNewField><nested>ignored</nested></unknownNewField>
                        </item>
                    </instancesSet>
                </item>
            </reservationSet>
            <nextToken>abc</nextToken>
        </DescribeInstancesResponse>
        """;

    private static Operation Ec2(string name) => AwsModelBundle.Default.GetService("ec2").Operations[name];

    private static AwsHttpResponse Response(int status, string body, params (string Name, string Value)[] headers) =>
        AwsHttpResponse.Create(status, headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)), Encoding.UTF8.GetBytes(body));

    private static JsonObject Read(Operation operation, AwsHttpResponse response)
    {
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(operation, response, tree);
        return tree.Root!;
    }

    [Fact]
    public void Reads_an_ec2_describe_instances_page_with_the_real_model()
    {
        var root = Read(Ec2("DescribeInstances"), Response(200, DescribeInstancesBody));

        Assert.Equal("abc", (string?)root["NextToken"]);
        var instance = root["Reservations"]![0]!["Instances"]![0]!.AsObject();
        Assert.Equal("i-1234567890abcdef0", (string?)instance["InstanceId"]);
        Assert.Equal("t3.micro", (string?)instance["InstanceType"]);
        Assert.Equal(16L, instance["State"]!["Code"]!.GetValue<long>());
        Assert.Equal("running", (string?)instance["State"]!["Name"]);
        Assert.False(instance["EbsOptimized"]!.GetValue<bool>());
        Assert.Equal(new DateTimeOffset(2024, 2, 3, 4, 5, 6, TimeSpan.Zero), instance["LaunchTime"]!.GetValue<DateTimeOffset>());
        Assert.Equal("web & api", (string?)instance["Tags"]![0]!["Value"]);
        Assert.Equal("", (string?)instance["Tags"]![1]!["Value"]);
        Assert.False(instance.ContainsKey("unknownNewField"));
    }

    [Fact]
    public void Streams_values_in_document_order_without_building_a_tree()
    {
        var events = new RecordingVisitor();
        AwsProtocolReader.ReadOutput(Ec2("DescribeInstances"), Response(200, DescribeInstancesBody), events);

        var log = string.Join(" ", events.Events);
        Assert.StartsWith("{ .Reservations [ { .ReservationId =r-1234567890abcdef0 .OwnerId =123456789012 .Instances [ { .InstanceId =i-1234567890abcdef0", log);
        Assert.Contains(".State { .Code =16 .Name =running }", log);
        Assert.Contains(".EbsOptimized =False .Tags [ { .Key =Name .Value =web & api } { .Key =env .Value = } ]", log);
        Assert.EndsWith("} ] } ] .NextToken =abc }", log);
    }

    [Fact]
    public void Announces_a_repeated_member_once_so_row_builders_stay_aligned()
    {
        var xml = new RecordingVisitor();
        AwsProtocolReader.ReadOutput(Ec2("DescribeInstances"), Response(200,
            "<DescribeInstancesResponse><nextToken>a</nextToken><nextToken>b</nextToken></DescribeInstancesResponse>"), xml);
        Assert.Equal("{ .NextToken =a }", string.Join(" ", xml.Events));

        var json = new RecordingVisitor();
        var ddb = AwsModelBundle.Default.GetService("dynamodb").Operations["ListTables"];
        AwsProtocolReader.ReadOutput(ddb, Response(200, """{"LastEvaluatedTableName":"a","LastEvaluatedTableName":"b"}"""), json);
        Assert.Equal("{ .LastEvaluatedTableName =a }", string.Join(" ", json.Events));
    }

    [Fact]
    public void Reads_cdata_entities_and_long_text()
    {
        var longText = new string('x', 5000);
        var root = Read(Ec2("DescribeInstances"), Response(200,
            $"<DescribeInstancesResponse><!-- c --><nextToken>a&lt;<![CDATA[<b>&amp;]]>&#x263A;{longText}</nextToken></DescribeInstancesResponse>"));
        Assert.Equal("a<<b>&amp;\u263A" + longText, (string?)root["NextToken"]);
    }

    [Fact]
    public void Reads_s3_list_objects_with_flattened_contents_and_headers()
    {
        var s3 = AwsModelBundle.Default.GetService("s3");
        var body = """
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><IsTruncated>true</IsTruncated><MaxKeys>2</MaxKeys><KeyCount>2</KeyCount>
              <Contents><Key>a.txt</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
              <NextContinuationToken>token</NextContinuationToken>
              <Contents><Key>b.txt</Key><Size>1</Size></Contents>
            </ListBucketResult>
            """;
        var root = Read(s3.Operations["ListObjectsV2"], Response(200, body, ("x-amz-request-charged", "requester")));

        Assert.True(root["IsTruncated"]!.GetValue<bool>());
        Assert.Equal("requester", (string?)root["RequestCharged"]);
        // The two Contents items are not adjacent: the second announcement appends to the same list.
        var contents = root["Contents"]!.AsArray();
        Assert.Equal(2, contents.Count);
        Assert.Equal("b.txt", (string?)contents[1]!["Key"]);
        Assert.Equal(434234L, contents[0]!["Size"]!.GetValue<long>());
    }

    [Fact]
    public void Reads_s3_head_object_headers_with_http_dates_and_metadata_prefix()
    {
        var s3 = AwsModelBundle.Default.GetService("s3");
        var response = Response(200, "",
            ("Content-Length", "3191"), ("Last-Modified", "Thu, 20 Jun 2024 12:00:01 GMT"),
            ("x-amz-meta-owner", "team-a"), ("ETag", "\"abc\""));
        var root = Read(s3.Operations["HeadObject"], response);

        Assert.Equal(3191L, root["ContentLength"]!.GetValue<long>());
        Assert.Equal(new DateTimeOffset(2024, 6, 20, 12, 0, 1, TimeSpan.Zero), root["LastModified"]!.GetValue<DateTimeOffset>());
        Assert.Equal("team-a", (string?)root["Metadata"]!["owner"]);
        Assert.Equal("\"abc\"", (string?)root["ETag"]);
    }

    [Theory]
    [InlineData("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>", "{\"LocationConstraint\":\"eu-west-1\"}")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>", "{}")]
    public void Reads_s3_bucket_location_whose_root_is_the_value(string body, string expected)
    {
        var s3 = AwsModelBundle.Default.GetService("s3");
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(s3.Operations["GetBucketLocation"], Response(200, body), tree);
        Assert.Equal(expected, tree.ToJson());
    }

    [Fact]
    public void Reads_s3_bucket_policy_as_a_raw_string_payload()
    {
        var s3 = AwsModelBundle.Default.GetService("s3");
        const string policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        Assert.Equal(policy, (string?)Read(s3.Operations["GetBucketPolicy"], Response(200, policy))["Policy"]);
    }

    [Fact]
    public void Reads_json_and_rest_json_outputs_with_the_real_models()
    {
        var ddb = AwsModelBundle.Default.GetService("dynamodb").Operations["ListTables"];
        var tables = Read(ddb, Response(200, """{"TableNames":["a","b"],"LastEvaluatedTableName":"b","Extra":{"x":[1,2]}}"""));
        Assert.Equal("""{"TableNames":["a","b"],"LastEvaluatedTableName":"b"}""", new JsonObject(tables.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString());

        var lambda = AwsModelBundle.Default.GetService("lambda").Operations["ListFunctions"];
        var functions = Read(lambda, Response(200, """{"Functions":[{"FunctionName":"f","MemorySize":128,"Timeout":3}],"NextMarker":null}"""));
        Assert.Equal("f", (string?)functions["Functions"]![0]!["FunctionName"]);
        Assert.Equal(128L, functions["Functions"]![0]!["MemorySize"]!.GetValue<long>());
        Assert.False(functions.ContainsKey("NextMarker"));
    }

    [Fact]
    public void Truncated_xml_names_service_operation_status_and_position()
    {
        var cut = DescribeInstancesBody[..DescribeInstancesBody.IndexOf("<instanceType>", StringComparison.Ordinal)];
        var ex = Assert.Throws<AwsProtocolException>(() => Read(Ec2("DescribeInstances"), Response(200, cut)));
        Assert.StartsWith("ec2 DescribeInstances: HTTP 200 response body is truncated XML (line ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Truncated_xml_cut_mid_tag_is_reported_as_truncated()
    {
        var cut = DescribeInstancesBody[..(DescribeInstancesBody.IndexOf("<instanceType>", StringComparison.Ordinal) + 6)];
        var ex = Assert.Throws<AwsProtocolException>(() => Read(Ec2("DescribeInstances"), Response(200, cut)));
        Assert.StartsWith("ec2 DescribeInstances: HTTP 200 response body is truncated XML", ex.Message);
    }

    [Fact]
    public void Malformed_xml_is_an_aws_protocol_exception()
    {
        var ex = Assert.Throws<AwsProtocolException>(() => Read(Ec2("DescribeInstances"), Response(200, "<DescribeInstancesResponse><a></b></DescribeInstancesResponse>")));
        Assert.StartsWith("ec2 DescribeInstances: HTTP 200 response body is malformed XML (line 1, position ", ex.Message);
        Assert.IsType<System.Xml.XmlException>(ex.InnerException);
    }

    [Fact]
    public void Html_from_a_proxy_is_reported_for_errors_and_outputs()
    {
        const string html = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
        var error = Assert.Throws<AwsProtocolException>(() => AwsProtocolReader.ReadError(Ec2("DescribeInstances"), Response(502, html)));
        Assert.StartsWith("ec2 DescribeInstances: HTTP 502 response body is an HTML page", error.Message);

        var output = Assert.Throws<AwsProtocolException>(() => Read(Ec2("DescribeInstances"), Response(200, "<!DOCTYPE html>\n" + html)));
        Assert.StartsWith("ec2 DescribeInstances: HTTP 200 response body is an HTML page", output.Message);

        var ddb = AwsModelBundle.Default.GetService("dynamodb").Operations["ListTables"];
        var json = Assert.Throws<AwsProtocolException>(() => Read(ddb, Response(200, html)));
        Assert.StartsWith("dynamodb ListTables: HTTP 200 response body is an HTML page, not JSON", json.Message);
    }

    [Fact]
    public void Empty_200_where_a_body_is_expected_is_an_error()
    {
        var ex = Assert.Throws<AwsProtocolException>(() => Read(Ec2("DescribeInstances"), Response(200, "")));
        Assert.Equal("ec2 DescribeInstances: HTTP 200 response body is empty; expected XML", ex.Message);

        var iam = AwsModelBundle.Default.GetService("iam").Operations["ListUsers"];
        var query = Assert.Throws<AwsProtocolException>(() => Read(iam, Response(200, "  \n")));
        Assert.Equal("iam ListUsers: HTTP 200 response body is empty; expected XML", query.Message);
    }

    [Fact]
    public void Truncated_and_malformed_json_are_aws_protocol_exceptions()
    {
        var ddb = AwsModelBundle.Default.GetService("dynamodb").Operations["ListTables"];
        var truncated = Assert.Throws<AwsProtocolException>(() => Read(ddb, Response(200, """{"TableNames":["a","b""")));
        Assert.StartsWith("dynamodb ListTables: HTTP 200 response body is truncated JSON (line 1, byte ", truncated.Message);

        var malformed = Assert.Throws<AwsProtocolException>(() => Read(ddb, Response(200, """{"TableNames":["a" "b"]}""")));
        Assert.StartsWith("dynamodb ListTables: HTTP 200 response body is malformed JSON (line 1, byte ", malformed.Message);
        Assert.IsAssignableFrom<JsonException>(malformed.InnerException);

        var wrongType = Assert.Throws<AwsProtocolException>(() => Read(ddb, Response(200, """{"TableNames":"a"}""")));
        Assert.StartsWith("dynamodb ListTables: HTTP 200 response has JSON string where member 'TableNames' expects a list", wrongType.Message);
    }

    [Fact]
    public void A_body_in_the_other_format_says_so()
    {
        var json = Assert.Throws<AwsProtocolException>(() => Read(Ec2("DescribeInstances"), Response(200, "{\"Reservations\":[]}")));
        Assert.Equal("ec2 DescribeInstances: HTTP 200 response body is JSON, not XML (wrong endpoint or protocol?)", json.Message);

        var ddb = AwsModelBundle.Default.GetService("dynamodb").Operations["ListTables"];
        var xml = Assert.Throws<AwsProtocolException>(() => Read(ddb, Response(200, "<ListTablesResponse/>")));
        Assert.Equal("dynamodb ListTables: HTTP 200 response body is XML, not JSON (wrong endpoint or protocol?)", xml.Message);
    }

    [Fact]
    public void Event_stream_outputs_are_refused_clearly()
    {
        var select = AwsModelBundle.Default.GetService("s3").Operations["SelectObjectContent"];
        var ex = Assert.Throws<AwsProtocolException>(() => Read(select, Response(200, "\0\0\0binary")));
        Assert.Equal("s3 SelectObjectContent: HTTP 200 response carries an event stream (member 'Payload'), which a read-only inventory client does not read", ex.Message);
    }

    [Fact]
    public void Invalid_utf8_is_an_aws_protocol_exception()
    {
        var ddb = AwsModelBundle.Default.GetService("dynamodb").Operations["ListTables"];
        byte[] body = [.. "{\"TableNames\":[\""u8, 0xFF, 0xFE, .. "\"]}"u8];
        var ex = Assert.Throws<AwsProtocolException>(() => Read(ddb, AwsHttpResponse.Create(200, [], body)));
        Assert.Equal("dynamodb ListTables: HTTP 200 response body is not valid UTF-8", ex.Message);

        var xml = Assert.Throws<AwsProtocolException>(() => Read(Ec2("DescribeInstances"),
            AwsHttpResponse.Create(200, [], (byte[])[.. "<DescribeInstancesResponse><nextToken>"u8, 0xFF, 0xFE, .. "</nextToken></DescribeInstancesResponse>"u8])));
        Assert.StartsWith("ec2 DescribeInstances: HTTP 200 response body is malformed XML", xml.Message);
    }

    [Fact]
    public void Refuses_absurdly_deep_recursive_values()
    {
        var model = ServiceModel.Parse("deep", JsonDocument.Parse("""
            {"metadata":{"protocol":"rest-xml"},
             "shapes":{"Node":{"type":"structure","members":{"child":{"shape":"Node"},"v":{}}}}}
            """).RootElement);
        var operation = model.AddOperation("Get", JsonDocument.Parse("""{"output":{"shape":"Node"}}""").RootElement);
        var ok = Read(operation, Response(200, "<Node>" + string.Concat(Enumerable.Repeat("<child>", 100)) + "<v>x</v>" + string.Concat(Enumerable.Repeat("</child>", 100)) + "</Node>"));
        Assert.NotNull(ok["child"]);

        var deep = "<Node>" + string.Concat(Enumerable.Repeat("<child>", 100_000)) + string.Concat(Enumerable.Repeat("</child>", 100_000)) + "</Node>";
        var ex = Assert.Throws<AwsProtocolException>(() => Read(operation, Response(200, deep)));
        Assert.Equal("deep Get: HTTP 200 response body nests values deeper than 256 levels", ex.Message);
    }

    [Fact]
    public void A_scalar_that_is_not_its_modelled_type_is_read_as_null_and_reported()
    {
        var body = DescribeInstancesBody
            .Replace("<code>16</code>", "<code>sixteen</code>", StringComparison.Ordinal)
            .Replace("<ebsOptimized>False</ebsOptimized>", "<ebsOptimized>None</ebsOptimized>", StringComparison.Ordinal)
            .Replace("<launchTime>2024-02-03T04:05:06.000Z</launchTime>", "<launchTime>" + new string('x', 150) + "</launchTime>", StringComparison.Ordinal);
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(Ec2("DescribeInstances"), Response(200, body), tree);

        var instance = tree.Root!["Reservations"]![0]!["Instances"]![0]!.AsObject();
        Assert.Equal("i-1234567890abcdef0", (string?)instance["InstanceId"]);
        Assert.True(instance.ContainsKey("EbsOptimized"));
        Assert.Null(instance["EbsOptimized"]);
        Assert.Null(instance["State"]!["Code"]);
        Assert.Equal("running", (string?)instance["State"]!["Name"]);
        Assert.Null(instance["LaunchTime"]);
        Assert.Equal("abc", (string?)tree.Root!["NextToken"]);
        Assert.Equal(
        [
            new MalformedValue("Reservations[].Instances[].State.Code", "integer", "sixteen"),
            new MalformedValue("Reservations[].Instances[].LaunchTime", "timestamp", new string('x', 100)),
            new MalformedValue("Reservations[].Instances[].EbsOptimized", "boolean", "None"),
        ], tree.MalformedValues);
        Assert.Equal("member 'Reservations[].Instances[].EbsOptimized' is not a valid boolean: 'None' (read as null)", tree.MalformedValues[2].ToString());
    }

    [Fact]
    public void Json_scalars_of_the_wrong_kind_are_read_as_null_and_reported()
    {
        var lambda = AwsModelBundle.Default.GetService("lambda").Operations["ListFunctions"];
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(lambda, Response(200,
            """{"Functions":[{"FunctionName":"f","MemorySize":"N/A","Timeout":true,"CodeSize":12},{"FunctionName":"g","MemorySize":256}]}"""), tree);

        var functions = tree.Root!["Functions"]!.AsArray();
        Assert.Equal(2, functions.Count);
        Assert.Null(functions[0]!["MemorySize"]);
        Assert.Null(functions[0]!["Timeout"]);
        Assert.Equal(12, (long)functions[0]!["CodeSize"]!);
        Assert.Equal(256, (long)functions[1]!["MemorySize"]!);
        Assert.Equal(
        [
            new MalformedValue("Functions[].MemorySize", "integer", "N/A"),
            new MalformedValue("Functions[].Timeout", "integer", "true"),
        ], tree.MalformedValues);
    }

    [Fact]
    public void A_malformed_header_value_is_read_as_null_and_reported()
    {
        var s3 = AwsModelBundle.Default.GetService("s3").Operations["HeadObject"];
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(s3, Response(200, "", ("Content-Length", "lots"), ("Last-Modified", "yesterday"), ("ETag", "\"e\"")), tree);

        Assert.Null(tree.Root!["ContentLength"]);
        Assert.Null(tree.Root!["LastModified"]);
        Assert.Equal("\"e\"", (string?)tree.Root!["ETag"]);
        Assert.Equal(["ContentLength", "LastModified"], tree.MalformedValues.Select(m => m.MemberPath).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_object_where_a_scalar_belongs_still_fails_the_call()
    {
        var lambda = AwsModelBundle.Default.GetService("lambda").Operations["ListFunctions"];
        var ex = Assert.Throws<AwsProtocolException>(() => Read(lambda, Response(200, """{"Functions":[{"FunctionName":"f","MemorySize":{"a":1}}]}""")));
        Assert.StartsWith("lambda ListFunctions: HTTP 200 response has JSON object where member 'MemorySize' expects a integer", ex.Message);
    }

    [Fact]
    public void Reads_ec2_query_and_s3_error_documents()
    {
        var ec2 = AwsProtocolReader.ReadError(Ec2("DescribeInstances"), Response(400,
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized.</Message></Error></Errors><RequestID>req-1</RequestID></Response>"));
        Assert.Equal(new AwsServiceError(400, "UnauthorizedOperation", "You are not authorized.", "req-1"), ec2);

        var iam = AwsModelBundle.Default.GetService("iam").Operations["ListUsers"];
        var query = AwsProtocolReader.ReadError(iam, Response(403,
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied</Message></Error><RequestId>req-2</RequestId></ErrorResponse>"));
        Assert.Equal(new AwsServiceError(403, "AccessDenied", "denied", "req-2"), query);

        var s3 = AwsModelBundle.Default.GetService("s3").Operations["ListObjectsV2"];
        var s3Error = Response(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>req-3</RequestId><HostId>h</HostId></Error>");
        Assert.True(AwsProtocolReader.IsError(s3Error));
        Assert.Equal(new AwsServiceError(200, "InternalError", "We encountered an internal error.", "req-3"), AwsProtocolReader.ReadError(s3, s3Error));
        Assert.False(AwsProtocolReader.IsError(Response(200, "<ListBucketResult/>")));
    }

    [Fact]
    public void Reads_an_empty_error_body_from_the_status_and_request_id_header()
    {
        var s3 = AwsModelBundle.Default.GetService("s3").Operations["HeadObject"];
        var error = AwsProtocolReader.ReadError(s3, Response(404, "", ("x-amz-request-id", "req-4")));
        Assert.Equal(new AwsServiceError(404, "NotFound", "HTTP 404 with an empty body", "req-4"), error);
    }

    [Fact]
    public void Reads_json_errors_with_namespaces_headers_and_query_compatible_codes()
    {
        var ddb = AwsModelBundle.Default.GetService("dynamodb").Operations["ListTables"];
        var json = AwsProtocolReader.ReadError(ddb, Response(400,
            """{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}""",
            ("x-amzn-RequestId", "req-5")));
        Assert.Equal(new AwsServiceError(400, "ResourceNotFoundException", "Requested resource not found", "req-5"), json);

        var lambda = AwsModelBundle.Default.GetService("lambda").Operations["ListFunctions"];
        var rest = AwsProtocolReader.ReadError(lambda, Response(429, """{"Type":"User","message":"Rate exceeded"}""",
            ("x-amzn-ErrorType", "TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.coral.service/")));
        Assert.Equal("TooManyRequestsException", rest.Code);
        Assert.Equal("Rate exceeded", rest.Message);

        var sqs = AwsModelBundle.Default.GetService("sqs").Operations["ListQueues"];
        var compatible = AwsProtocolReader.ReadError(sqs, Response(400,
            """{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}""",
            ("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")));
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", compatible.Code);
    }

    [Fact]
    public void Error_without_a_code_in_a_non_empty_body_is_an_aws_protocol_exception()
    {
        var ex = Assert.Throws<AwsProtocolException>(() => AwsProtocolReader.ReadError(Ec2("DescribeInstances"), Response(500, "<Oops/>")));
        Assert.Equal("ec2 DescribeInstances: HTTP 500 response is an error whose body carries no error code", ex.Message);

        var ddb = AwsModelBundle.Default.GetService("dynamodb").Operations["ListTables"];
        var truncated = Assert.Throws<AwsProtocolException>(() => AwsProtocolReader.ReadError(ddb, Response(500, """{"__type":"Inter""")));
        Assert.StartsWith("dynamodb ListTables: HTTP 500 response body is truncated JSON", truncated.Message);
    }

    [Fact]
    public void Reuses_one_string_instance_per_enum_value()
    {
        var model = ServiceModel.Parse("enums", JsonDocument.Parse("""
            {"metadata":{"protocol":"json","jsonVersion":"1.1"},
             "shapes":{"Out":{"type":"structure","members":{"States":{"shape":"States"}}},
                       "States":{"type":"list","member":{"shape":"State"}},
                       "State":{"type":"string","enum":["running","stopped"]}}}
            """).RootElement);
        var operation = model.AddOperation("List", JsonDocument.Parse("""{"output":{"shape":"Out"}}""").RootElement);
        var strings = new List<string>();
        var visitor = new RecordingVisitor(strings);
        AwsProtocolReader.ReadOutput(operation, Response(200, """{"States":["running","running","stopped","pending"]}"""), visitor);

        Assert.Equal(["running", "running", "stopped", "pending"], strings);
        Assert.Same(strings[0], strings[1]);
        Assert.Same(model.Shapes["State"].EnumValues![0], strings[0]);
    }

    [Theory]
    [InlineData("2019-12-16T23:48:18Z", 1576540098.0)]
    [InlineData("2019-12-16T23:48:18.52Z", 1576540098.52)]
    [InlineData("2019-12-17T00:48:18+01:00", 1576540098.0)]
    [InlineData("2019-12-16T22:48:18-0100", 1576540098.0)]
    [InlineData("2019-12-16T23:48:18", 1576540098.0)]
    [InlineData("Mon, 16 Dec 2019 23:48:18 GMT", 1576540098.0)]
    [InlineData("1576540098", 1576540098.0)]
    [InlineData("1576540098.52", 1576540098.52)]
    [InlineData("1.57654009852E9", 1576540098.52)]
    [InlineData("1.706933106785E9", 1706933106.785)]
    public void Parses_every_timestamp_form(string text, double epochSeconds)
    {
        Assert.True(CloudInventory.Aws.Protocols.Reading.TimestampText.TryParse(text, out var value));
        Assert.Equal((long)Math.Round(epochSeconds * 1000), value.ToUnixTimeMilliseconds());
        Assert.Equal(0, (value.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) % TimeSpan.TicksPerMillisecond);
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Fact]
    public void Splits_header_lists_with_quotes_and_http_dates()
    {
        Assert.Equal(["a", "b,c", "\"quoted\""], CloudInventory.Aws.Protocols.Reading.HttpBindingReader.SplitList("a, \"b,c\", \"\\\"quoted\\\"\"", httpDates: false));
        Assert.Equal(["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"],
            CloudInventory.Aws.Protocols.Reading.HttpBindingReader.SplitList("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT", httpDates: true));
    }

    /// <summary>Records visitor events as a compact text log.</summary>
    private sealed class RecordingVisitor(List<string>? strings = null) : IShapeVisitor
    {
        public List<string> Events { get; } = [];

        public void StartStructure(Shape shape) => Events.Add("{");
        public void Member(Member member) => Events.Add("." + member.Name);
        public void EndStructure(Shape shape) => Events.Add("}");
        public void StartList(Shape shape) => Events.Add("[");
        public void EndList(Shape shape) => Events.Add("]");
        public void StartMap(Shape shape) => Events.Add("<");
        public void MapKey(string key) => Events.Add("#" + key);
        public void EndMap(Shape shape) => Events.Add(">");
        public void String(string value)
        {
            strings?.Add(value);
            Events.Add("=" + value);
        }
        public void Integer(long value) => Events.Add("=" + value);
        public void Double(double value) => Events.Add("=" + value);
        public void Boolean(bool value) => Events.Add("=" + value);
        public void Timestamp(DateTimeOffset value) => Events.Add("=" + value.ToString("O"));
        public void Blob(byte[] value) => Events.Add("=" + Convert.ToBase64String(value));
        public void Document(JsonElement value) => Events.Add("=" + value.GetRawText());
        public void Null() => Events.Add("=null");
        public void Malformed(Shape shape, string text) => Events.Add("=malformed " + MalformedValue.TypeName(shape) + " " + text);
    }
}
