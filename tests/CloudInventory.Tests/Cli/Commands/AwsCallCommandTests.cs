using System.CommandLine;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Endpoints;
using CloudInventory.Cli;
using CloudInventory.Cli.Commands;
using CloudInventory.Tests.Aws.Client;

namespace CloudInventory.Tests.Cli.Commands;

/// <summary><c>cloudinv aws ...</c> run in-process through <see cref="CliApp"/> against a loopback server.</summary>
public class AwsCallCommandTests
{
    private const string Ec2Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    [Fact]
    public async Task Prints_the_result_as_aws_cli_json()
    {
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Xml(
            $"<DescribeInstancesResponse xmlns=\"{Ec2Ns}\"><reservationSet><item><reservationId>r-1</reservationId><instancesSet><item>"
            + "<instanceId>i-1</instanceId><launchTime>2026-01-02T03:04:05.000Z</launchTime></item></instancesSet></item></reservationSet></DescribeInstancesResponse>"));
        var (code, stdout, stderr) = await RunAsync(server, "aws", "call", "ec2", "DescribeInstances",
            "--param", "Filters.0.Name=instance-state-name", "--param", "Filters.0.Values.0=running", "--param", "Filters.0.Values.1=stopped");
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("i-1", json["Reservations"]![0]!["Instances"]![0]!["InstanceId"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05+00:00", json["Reservations"]![0]!["Instances"]![0]!["LaunchTime"]!.GetValue<string>());
        Assert.StartsWith("{\n    \"Reservations\"", stdout.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        var body = server.RequestList[0].BodyText;
        Assert.Contains("Filter.1.Name=instance-state-name", body, StringComparison.Ordinal);
        Assert.Contains("Filter.1.Value.1=running", body, StringComparison.Ordinal);
        Assert.Contains("Filter.1.Value.2=stopped", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text", "Reservations[].Instances[].InstanceId", "i-1\ti-2")]
    [InlineData("json", "Reservations[0].Instances[?InstanceId=='i-2'].InstanceId | [0]", "\"i-2\"")]
    [InlineData("table", "Reservations[].Instances[]", "InstanceId")]
    public async Task Prints_as_text_or_table_after_a_jmespath_query(string output, string query, string expected)
    {
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Xml(
            $"<DescribeInstancesResponse xmlns=\"{Ec2Ns}\"><reservationSet><item><reservationId>r-1</reservationId><instancesSet>"
            + "<item><instanceId>i-1</instanceId></item><item><instanceId>i-2</instanceId></item></instancesSet></item></reservationSet></DescribeInstancesResponse>"));
        var (code, stdout, stderr) = await RunAsync(server, "aws", "call", "ec2", "DescribeInstances", "--output", output, "--query", query);
        Assert.True(code == 0, stderr);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
        if (output == "table") Assert.Matches(@"(?m)^i-1\s*$", stdout);
    }

    [Fact]
    public async Task Refuses_a_query_that_is_not_jmespath_before_calling()
    {
        await using var server = new LocalAwsServer();
        var (code, _, stderr) = await RunAsync(server, "aws", "call", "ec2", "DescribeInstances", "--query", "Reservations[");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --query", stderr, StringComparison.Ordinal);
        Assert.Empty(server.RequestList);
    }

    [Fact]
    public async Task Help_shows_no_placeholder_for_extra_arguments()
    {
        await using var server = new LocalAwsServer();
        var (code, stdout, _) = await RunAsync(server, "aws", "call", "--help");
        Assert.Equal(0, code);
        Assert.DoesNotContain("additional arguments", stdout, StringComparison.Ordinal);
        Assert.Contains("--query", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prints_a_malformed_value_as_null_with_a_warning_on_stderr()
    {
        // What a real AWS emulator answered (issue 11): a boolean member that reads None.
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Xml(
            "<DescribeDBInstancesResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeDBInstancesResult><DBInstances><DBInstance>"
            + "<DBInstanceIdentifier>db-1</DBInstanceIdentifier><StorageEncrypted>None</StorageEncrypted><MultiAZ>true</MultiAZ>"
            + "</DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>"));
        var (code, stdout, stderr) = await RunAsync(server, "aws", "call", "rds", "DescribeDBInstances");
        Assert.Equal(0, code);
        Assert.Equal("warning: rds DescribeDBInstances: member 'DBInstances[].StorageEncrypted' is not a valid boolean: 'None' (read as null)",
            stderr.TrimEnd());
        var instance = JsonNode.Parse(stdout)!["DBInstances"]![0]!.AsObject();
        Assert.Equal("db-1", instance["DBInstanceIdentifier"]!.GetValue<string>());
        Assert.True(instance.ContainsKey("StorageEncrypted"));
        Assert.Null(instance["StorageEncrypted"]);
        Assert.True(instance["MultiAZ"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Merges_all_pages()
    {
        await using var server = new LocalAwsServer().Enqueue(
            CannedResponse.Json("""{"logGroups":[{"logGroupName":"a"}],"nextToken":"t2"}"""),
            CannedResponse.Json("""{"logGroups":[{"logGroupName":"b"},{"logGroupName":"c"}]}"""));
        var (code, stdout, stderr) = await RunAsync(server, "aws", "call", "logs", "DescribeLogGroups", "--all-pages", "--param", "limit=1");
        Assert.Equal((0, ""), (code, stderr));
        var json = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(["a", "b", "c"], json["logGroups"]!.AsArray().Select(g => g!["logGroupName"]!.GetValue<string>()));
        Assert.False(json.ContainsKey("nextToken"));
        Assert.Equal("t2", JsonNode.Parse(server.RequestList[1].BodyText)!["nextToken"]!.GetValue<string>());
        Assert.Equal(1, JsonNode.Parse(server.RequestList[1].BodyText)!["limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task Merges_every_page_of_the_simulated_cloud()
    {
        await using var cloud = await CloudInventory.Simulator.SimulatedCloud.StartAsync(new CloudInventory.Simulator.SimulatorOptions
        {
            Seed = 11, Accounts = 1, Regions = ["eu-west-1"], PageSize = 3,
        });
        await using var unused = new LocalAwsServer();
        var credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey));
        var (code, stdout, stderr) = await RunAsync(unused, o => o.Credentials = credentials,
            "aws", "call", "ec2", "DescribeSubnets", "--all-pages", "--region", "eu-west-1", "--endpoint-url", cloud.Endpoint.ToString());
        Assert.Equal((0, ""), (code, stderr));
        var all = JsonNode.Parse(stdout)!["Subnets"]!.AsArray();
        var (_, first, _) = await RunAsync(unused, o => o.Credentials = credentials,
            "aws", "call", "ec2", "DescribeSubnets", "--region", "eu-west-1", "--endpoint-url", cloud.Endpoint.ToString());
        var firstPage = JsonNode.Parse(first)!;
        Assert.True(firstPage["NextToken"] is not null, "expected more than one page");
        Assert.True(all.Count > firstPage["Subnets"]!.AsArray().Count);
        Assert.Equal(all.Count, all.Select(v => v!["SubnetId"]!.GetValue<string>()).Distinct().Count());
        Assert.Empty(unused.RequestList);
    }

    [Fact]
    public async Task Prints_one_page_with_its_token_without_all_pages()
    {
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Json("""{"logGroups":[{"logGroupName":"a"}],"nextToken":"t2"}"""));
        var (code, stdout, _) = await RunAsync(server, "aws", "call", "logs", "DescribeLogGroups");
        Assert.Equal(0, code);
        Assert.Equal("t2", JsonNode.Parse(stdout)!["nextToken"]!.GetValue<string>());
        Assert.Single(server.RequestList);
    }

    [Fact]
    public async Task Accepts_json_parameter_values()
    {
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Json("""{"Items":[],"Count":0}""", contentType: "application/x-amz-json-1.0"));
        var (code, _, stderr) = await RunAsync(server, "aws", "call", "dynamodb", "Scan", "--param", "TableName=t",
            "--param", """ExclusiveStartKey={"id":{"S":"1"}}""", "--param", "AttributesToGet=[\"id\",\"name\"]");
        Assert.Equal((0, ""), (code, stderr));
        var body = JsonNode.Parse(server.RequestList[0].BodyText)!;
        Assert.Equal("1", body["ExclusiveStartKey"]!["id"]!["S"]!.GetValue<string>());
        Assert.Equal(2, body["AttributesToGet"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("unknown AWS service 'ec3' (did you mean 'ec2'?)", "aws", "call", "ec3", "DescribeInstances")]
    [InlineData("ec2 has no operation 'DescribeInstance' (did you mean 'DescribeInstances'?)", "aws", "call", "ec2", "DescribeInstance")]
    [InlineData("ec2 DescribeInstances: unknown parameter 'Bogus'", "aws", "call", "ec2", "DescribeInstances", "--param", "Bogus=1")]
    [InlineData("--param 'Filters' must look like Name=value", "aws", "call", "ec2", "DescribeInstances", "--param", "Filters")]
    [InlineData("--param 'Filters': invalid JSON", "aws", "call", "ec2", "DescribeInstances", "--param", "Filters=[{")]
    [InlineData("--param 'Filters.1.Name': index 1 skips index 0", "aws", "call", "ec2", "DescribeInstances", "--param", "Filters.1.Name=x")]
    [InlineData("usage: cloudinv aws call <service> <operation>", "aws", "call", "ec2")]
    [InlineData("unknown option '--bogus'", "aws", "call", "ec2", "DescribeInstances", "--bogus")]
    [InlineData("--region needs a value", "aws", "call", "ec2", "DescribeInstances", "--region")]
    [InlineData("invalid AWS region 'EU_WEST'", "aws", "call", "ec2", "DescribeInstances", "--region", "EU_WEST")]
    [InlineData("--max-attempts (flag --max-attempts): 'x' is not a positive whole number", "aws", "call", "ec2", "DescribeInstances", "--max-attempts", "x")]
    [InlineData("ec2 TerminateInstances is not a read-only operation", "aws", "call", "ec2", "TerminateInstances", "--param", "InstanceIds.0=i-1")]
    [InlineData("unknown AWS service 'ec3'", "aws", "operations", "ec3")]
    public async Task Rejects_bad_command_lines_with_one_line_and_exit_code_2(string message, params string[] args)
    {
        await using var server = new LocalAwsServer();
        var (code, stdout, stderr) = await RunAsync(server, args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'), l => !l.StartsWith("hint: ", StringComparison.Ordinal));
        Assert.Empty(server.RequestList);
    }

    [Fact]
    public async Task Reports_aws_errors_with_exit_code_1()
    {
        await using var server = new LocalAwsServer(_ => CannedResponse.Xml(
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r</RequestID></Response>", 403));
        var (code, stdout, stderr) = await RunAsync(server, "aws", "call", "ec2", "DescribeInstances");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal("error: ec2 DescribeInstances: HTTP 403 UnauthorizedOperation: You are not authorized to perform this operation.", stderr.TrimEnd());
    }

    [Fact]
    public async Task Reports_exhausted_throttling_with_exit_code_1()
    {
        await using var server = new LocalAwsServer(_ => CannedResponse.Json("""{"__type":"ThrottlingException","message":"Rate exceeded"}""", 400));
        var (code, _, stderr) = await RunAsync(server, "aws", "call", "logs", "DescribeLogGroups", "--max-attempts", "3");
        Assert.Equal(1, code);
        Assert.Equal("error: cloudwatchlogs DescribeLogGroups: HTTP 400 ThrottlingException: Rate exceeded", stderr.TrimEnd());
        Assert.Equal(3, server.RequestList.Count);
    }

    [Fact]
    public async Task Reports_malformed_bodies_with_exit_code_1()
    {
        await using var server = new LocalAwsServer(_ => new CannedResponse(200, "<html><body>proxy login</body></html>", new() { ["Content-Type"] = "text/html" }));
        var (code, stdout, stderr) = await RunAsync(server, "aws", "call", "ec2", "DescribeInstances");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_missing_credentials_with_exit_code_1()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cloudinv-creds-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret\n");
        try
        {
            await using var server = new LocalAwsServer();
            var (code, _, stderr) = await RunAsync(server, o => o.Credentials = AwsCredentialSource.Profile("missing", file),
                "aws", "call", "ec2", "DescribeInstances");
            Assert.Equal(1, code);
            Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
            Assert.Contains("'missing'", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("other-secret", stderr, StringComparison.Ordinal);
            Assert.Empty(server.RequestList);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Lists_services_and_operations()
    {
        await using var server = new LocalAwsServer();
        var (code, stdout, _) = await RunAsync(server, "aws", "services", "--format", "table");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^ec2\s+ec2\s+ec2\s+\d+$", stdout);
        Assert.Matches(@"(?m)^cloudwatchlogs\s+logs\s+json\s+\d+$", stdout);
        Assert.Contains("385 services", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await RunAsync(server, "aws", "operations", "ec2", "--format", "table");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^DescribeInstances\s+read paged$", stdout);
        Assert.Matches(@"(?m)^DescribeAccountAttributes\s+read$", stdout);
        Assert.Matches(@"(?m)^TerminateInstances$", stdout);
    }

    [Fact]
    public async Task Shows_the_version()
    {
        await using var server = new LocalAwsServer();
        var (code, stdout, _) = await RunAsync(server, "--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^cloudinv \d+\.\d+\.\d+", stdout);
        Assert.Contains("AWS models: aws-sdk@2.1693.0, 385 services", stdout, StringComparison.Ordinal);
        Assert.Contains("store format 1", stdout, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(LocalAwsServer server, params string[] args) =>
        RunAsync(server, null, args);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(LocalAwsServer server, Action<CloudInventory.Aws.Client.AwsClientOptions>? configure, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        AwsCommand.ConfigureClient.Value = options =>
        {
            options.Region ??= "eu-west-1";
            options.Credentials = AwsCredentialSource.Static("AKIDTEST", "secret");
            options.EndpointUrl ??= server.Url;
            options.EndpointResolver = new AwsEndpointResolver(_ => null);
            options.Retry.DelayAsync = (_, _) => Task.CompletedTask;
            configure?.Invoke(options);
        };
        try
        {
            var code = await CliApp.InvokeAsync(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            AwsCommand.ConfigureClient.Value = null;
        }
    }
}
