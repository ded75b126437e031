using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Simulator;
using CloudInventory.Simulator.Protocols;
using CloudInventory.Simulator.Server;
using CloudInventory.Simulator.World;

namespace CloudInventory.Tests.Simulator;

public class SimulatedResponderTests
{
    private static async Task<byte[]> FetchAsync(SimulatedCloud cloud, string form, string? accessKey = null, string? secret = null)
    {
        using var http = new HttpClient();
        var key = accessKey ?? cloud.ManagementAccessKey;
        var body = Encoding.UTF8.GetBytes(form);
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" };
        var signature = CloudInventory.Aws.Signing.AwsSigV4Signer.Sign("POST", cloud.Endpoint.Authority, "/", [], headers, body,
            new Amazon.Runtime.ImmutableCredentials(key, secret ?? cloud.SecretFor(key), null),
            new CloudInventory.Aws.Signing.AwsSigningParameters("us-east-1", "ec2", new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        using var request = new HttpRequestMessage(HttpMethod.Post, cloud.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", headers["Content-Type"]);
        foreach (var (name, value) in signature.Headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task A_wrong_secret_gets_signature_does_not_match()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions());
        var text = Encoding.UTF8.GetString(await FetchAsync(cloud, "Action=DescribeVpcs&Version=2016-11-15", secret: "wrong"));
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_simulators_with_the_same_seed_and_date_answer_byte_for_byte_the_same()
    {
        var options = () => new SimulatorOptions { Seed = 11, Date = new DateOnly(2026, 11, 20) };
        await using var a = await SimulatedCloud.StartAsync(options());
        await using var b = await SimulatedCloud.StartAsync(options());
        foreach (var form in new[] { "Action=DescribeInstances&Version=2016-11-15", "Action=DescribeSubnets&Version=2016-11-15", "Action=DescribeSecurityGroups&Version=2016-11-15&MaxResults=2" })
        {
            var first = await FetchAsync(a, form);
            Assert.Contains("Response xmlns", Encoding.UTF8.GetString(first), StringComparison.Ordinal);
            Assert.Equal(first, await FetchAsync(b, form));
        }
    }

    [Fact]
    public async Task Unsigned_requests_get_aws_missing_authentication_token()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions());
        using var http = new HttpClient();
        using var response = await http.PostAsync(cloud.Endpoint, new StringContent("Action=DescribeVpcs&Version=2016-11-15", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(403, (int)response.StatusCode);
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_operation_and_version_get_aws_errors_in_the_protocol_format()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions());
        var unknown = Encoding.UTF8.GetString(await FetchAsync(cloud, "Action=DescribeUnicorns&Version=2016-11-15"));
        Assert.Contains("<Code>InvalidAction</Code>", unknown, StringComparison.Ordinal);
        var version = Encoding.UTF8.GetString(await FetchAsync(cloud, "Action=DescribeVpcs&Version=2001-01-01"));
        Assert.Contains("<Code>NoSuchVersion</Code>", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_gives_a_clear_error()
    {
        await using var first = await SimulatedCloud.StartAsync(new SimulatorOptions());
        var ex = await Assert.ThrowsAsync<SimulatorStartException>(() => SimulatedCloud.StartAsync(new SimulatorOptions { Port = first.Endpoint.Port }));
        Assert.Contains("already in use", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutating_operations_are_refused()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions());
        var text = Encoding.UTF8.GetString(await FetchAsync(cloud, "Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-123"));
        Assert.Contains("UnsupportedOperation", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ec2", "DescribeInstances")]        // the world's instances, one reservation each, built a page at a time
    [InlineData("ec2", "DescribeVolumes")]          // a world listing through the common list helper
    [InlineData("iam", "ListRoles")]                // the same, in a query-protocol service
    [InlineData("ec2", "DescribeLaunchTemplates")]  // a generic listing (no world model)
    [InlineData("cloudfront", "ListDistributions")] // a generic listing nested in the output (DistributionList.Items)
    [InlineData("lambda", "ListFunctions")]         // a world listing in a rest-json service
    [InlineData("ecs", "ListClusters")]             // a small world output built whole and split into pages
    [InlineData("ec2", "DescribeInstances", """{"Filters":[{"Name":"instance-state-name","Values":["running"]}]}""")] // a filtered world listing
    public void Pages_of_a_listing_are_the_slices_of_the_whole_output(string service, string operation, string input = "{}")
    {
        var day = new DateOnly(2026, 11, 20);
        var options = new SimulatorOptions { Seed = 3, Accounts = 2, Regions = ["us-east-1"], Scale = 4, PagedResultCacheSize = 1 };
        var world = new SimulatedWorld(options);
        var responder = new SimulatedResponder(options, world, AwsModelBundle.Default) { Date = day };
        var op = AwsModelBundle.Default.GetService(service).Operations[operation];
        var request = new WorldRequest(op, world.ManagementAccount.Id, "us-east-1", day, JsonNode.Parse(input)!.AsObject(), new ShapeValueGenerator());
        var resultList = ShapePaths.ResultList(op)!;

        var whole = world.Handle(request);
        var all = ((JsonArray)ShapePaths.Get(whole, resultList)!).Select(i => i!.ToJsonString()).ToList();
        const int pageSize = 3;
        Assert.True(all.Count > pageSize, $"expected several pages, got {all.Count} items");
        var shell = Shell(whole, op, resultList);

        // Last page first: a page does not depend on the ones before it.
        var offsets = Enumerable.Range(0, (all.Count + pageSize - 1) / pageSize).Select(n => n * pageSize).Reverse().ToList();
        foreach (var offset in offsets)
        {
            var (page, streamed) = responder.PagedOutput(request, offset, pageSize)!.Value;
            Assert.Same(ShapePaths.Get(page, resultList), streamed!.Placeholder);
            Assert.Empty(streamed.Placeholder);
            var items = streamed.Items.Select(i => i!.ToJsonString());
            Assert.Equal(all.Skip(offset).Take(pageSize), items);
            Assert.Equal(shell, Shell(page, op, resultList));
            // Written as they are built, the items give the bytes of the page written whole.
            var written = (JsonObject)page.DeepClone();
            ShapePaths.Set(written, resultList, new JsonArray(streamed.Items.ToArray()));
            Assert.Equal(ResponseWriter.Write(op, written, "request").Body, ResponseWriter.Write(op, page, "request", streamed).Body);
            var token = ShapePaths.Get(page, op.Paginator!.OutputTokens[0]);
            Assert.Equal(offset + pageSize < all.Count, token is not null);
        }
    }

    // The output without its list and paging members, as JSON text.
    private static string Shell(JsonObject output, Operation operation, string resultList)
    {
        var copy = (JsonObject)output.DeepClone();
        ShapePaths.Set(copy, resultList, new JsonArray());
        foreach (var token in operation.Paginator!.OutputTokens.Append(operation.Paginator.MoreResults).OfType<string>())
        {
            var dot = token.LastIndexOf('.');
            var parent = dot < 0 ? copy : ShapePaths.Get(copy, token[..dot]) as JsonObject;
            parent?.Remove(dot < 0 ? token : token[(dot + 1)..]);
        }
        return copy.ToJsonString();
    }
}
