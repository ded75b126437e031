using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Endpoints;
using CloudInventory.Aws.Protocols;
using CloudInventory.Aws.Signing;

namespace CloudInventory.Tests.Aws.Client;

/// <summary>The client against a real HTTP listener on loopback serving canned protocol responses.</summary>
public class AwsClientTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private const string Ec2Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    [Fact]
    public async Task Calls_an_operation_and_streams_the_output_into_the_visitor()
    {
        await using var server = new LocalAwsServer().Enqueue(new CannedResponse(200, Ec2Page("i-1", next: null),
            new() { ["Content-Type"] = "text/xml", ["x-amzn-RequestId"] = "req-i-1" }));
        using var client = NewClient(server, out _);
        var tree = new ValueTreeBuilder();
        var page = await client.CallAsync("ec2", "DescribeInstances", null, tree);
        Assert.Equal(200, page.StatusCode);
        Assert.Equal("req-i-1", page.RequestId);
        Assert.Equal("i-1", tree.Root!["Reservations"]![0]!["Instances"]![0]!["InstanceId"]!.GetValue<string>());
        var request = Assert.Single(server.RequestList);
        Assert.Equal("POST", request.Method);
        Assert.Contains("Action=DescribeInstances", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signs_every_request_as_sent()
    {
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Xml(Ec2Page("i-1", next: null)));
        using var client = NewClient(server, out _, sessionToken: "session-token-1");
        await client.CallAsync("ec2", "DescribeInstances", new JsonObject { ["InstanceIds"] = new JsonArray("i-1") }, new ValueTreeBuilder());
        var request = Assert.Single(server.RequestList);
        var authorization = request.Headers["Authorization"];
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20260102/eu-west-1/ec2/aws4_request, SignedHeaders=", authorization, StringComparison.Ordinal);
        Assert.Equal("20260102T030405Z", request.Headers["X-Amz-Date"]);
        Assert.Equal("session-token-1", request.Headers["X-Amz-Security-Token"]);

        // Recompute the signature from what arrived on the wire: it must match.
        var signedNames = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        var headers = signedNames.Where(n => n is not ("x-amz-date" or "x-amz-security-token")).Select(n => new KeyValuePair<string, string>(n, request.Headers[n])).ToList();
        var expected = AwsSigV4Signer.Sign(request.Method, request.Headers["Host"], request.Path, [], headers, request.Body,
            new Amazon.Runtime.ImmutableCredentials("AKIDTEST", "secret", "session-token-1"),
            new AwsSigningParameters("eu-west-1", "ec2", s_now));
        Assert.True(expected.Authorization == authorization, expected.CanonicalRequest + "\n" + string.Join("\n", request.Headers));
    }

    [Fact]
    public async Task Pages_with_a_simple_token()
    {
        await using var server = new LocalAwsServer().Enqueue(
            CannedResponse.Xml(Ec2Page("i-1", "t2")), CannedResponse.Xml(Ec2Page("i-2", "t3")), CannedResponse.Xml(Ec2Page("i-3", null)));
        using var client = NewClient(server, out _);
        var pages = await CollectAsync(client.PaginateAsync("ec2", "DescribeInstances", null, () => new ValueTreeBuilder()));
        Assert.Equal(["i-1", "i-2", "i-3"], pages.Select(p => ((ValueTreeBuilder)p.Visitor).Root!["Reservations"]![0]!["Instances"]![0]!["InstanceId"]!.GetValue<string>()));
        Assert.Equal([1, 2, 3], pages.Select(p => p.Number));
        var bodies = server.RequestList.Select(r => r.BodyText).ToList();
        Assert.DoesNotContain("NextToken", bodies[0], StringComparison.Ordinal);
        Assert.Contains("NextToken=t2", bodies[1], StringComparison.Ordinal);
        Assert.Contains("NextToken=t3", bodies[2], StringComparison.Ordinal);
        Assert.Null(pages[^1].NextTokens);
    }

    [Fact]
    public async Task Pages_with_a_nested_token_and_a_nested_more_results_flag()
    {
        static string Page(string id, string next, bool truncated) =>
            $"<DistributionList xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Marker></Marker><NextMarker>{next}</NextMarker>"
            + $"<MaxItems>1</MaxItems><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated><Quantity>1</Quantity>"
            + $"<Items><DistributionSummary><Id>{id}</Id></DistributionSummary></Items></DistributionList>";
        // The last page still carries a NextMarker, but IsTruncated=false ends the paging.
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Xml(Page("D1", "m2", true)), CannedResponse.Xml(Page("D2", "m3", false)));
        using var client = NewClient(server, out _);
        var pages = await CollectAsync(client.PaginateAsync("cloudfront", "ListDistributions", null, () => new ValueTreeBuilder()));
        Assert.Equal(2, pages.Count);
        Assert.Equal("Marker=m2", server.RequestList[1].Target.Split('?')[1]);
        Assert.Equal("D2", ((ValueTreeBuilder)pages[1].Visitor).Root!["DistributionList"]!["Items"]![0]!["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pages_s3_list_objects_with_the_last_key_when_no_next_marker_is_given()
    {
        static string Page(bool truncated, params string[] keys) =>
            $"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket-1</Name><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>"
            + string.Concat(keys.Select(k => $"<Contents><Key>{k}</Key><Size>1</Size></Contents>")) + "</ListBucketResult>";
        await using var server = new LocalAwsServer().Enqueue(
            CannedResponse.Xml(Page(true, "a", "b")), CannedResponse.Xml(Page(true, "c")), CannedResponse.Xml(Page(false, "d")));
        using var client = NewClient(server, out _);
        var pages = await CollectAsync(client.PaginateAsync("s3", "ListObjects", new JsonObject { ["Bucket"] = "bucket-1" }, () => new ValueTreeBuilder()));
        Assert.Equal(3, pages.Count);
        Assert.DoesNotContain("marker=", server.RequestList[0].Target, StringComparison.Ordinal);
        Assert.Contains("marker=b", server.RequestList[1].Target, StringComparison.Ordinal);
        Assert.Contains("marker=c", server.RequestList[2].Target, StringComparison.Ordinal);
        Assert.StartsWith("/bucket-1", server.RequestList[0].Path, StringComparison.Ordinal);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", server.RequestList[0].Headers["X-Amz-Content-SHA256"]);
    }

    [Fact]
    public async Task Pages_with_several_tokens_at_once()
    {
        static string Page(string name, string? nextName, string? nextType) =>
            "<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
            + $"<ResourceRecordSet><Name>{name}</Name><Type>A</Type></ResourceRecordSet></ResourceRecordSets>"
            + $"<IsTruncated>{(nextName is null ? "false" : "true")}</IsTruncated>"
            + (nextName is null ? "" : $"<NextRecordName>{nextName}</NextRecordName><NextRecordType>{nextType}</NextRecordType>")
            + "<MaxItems>1</MaxItems></ListResourceRecordSetsResponse>";
        await using var server = new LocalAwsServer().Enqueue(
            CannedResponse.Xml(Page("a.example.com.", "b.example.com.", "CNAME")), CannedResponse.Xml(Page("b.example.com.", null, null)));
        using var client = NewClient(server, out _);
        var pages = await CollectAsync(client.PaginateAsync("route53", "ListResourceRecordSets", new JsonObject { ["HostedZoneId"] = "Z1" }, () => new ValueTreeBuilder()));
        Assert.Equal(2, pages.Count);
        var query = server.RequestList[1].Target.Split('?')[1].Split('&').Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["name=b.example.com.", "type=CNAME"], query);
        Assert.Equal("b.example.com.", pages[0].NextTokens!["StartRecordName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pages_with_a_structured_token()
    {
        await using var server = new LocalAwsServer().Enqueue(
            CannedResponse.Json("""{"Items":[{"id":{"S":"1"}}],"Count":1,"LastEvaluatedKey":{"id":{"S":"1"}}}""", contentType: "application/x-amz-json-1.0"),
            CannedResponse.Json("""{"Items":[{"id":{"S":"2"}}],"Count":1}""", contentType: "application/x-amz-json-1.0"));
        using var client = NewClient(server, out _);
        var pages = await CollectAsync(client.PaginateAsync("dynamodb", "Scan", new JsonObject { ["TableName"] = "t" }, () => new ValueTreeBuilder()));
        Assert.Equal(2, pages.Count);
        var second = JsonNode.Parse(server.RequestList[1].BodyText)!;
        Assert.Equal("1", second["ExclusiveStartKey"]!["id"]!["S"]!.GetValue<string>());
        Assert.Equal("DynamoDB_20120810.Scan", server.RequestList[1].Headers["X-Amz-Target"]);
    }

    [Fact]
    public async Task Sends_binary_tokens_back_as_the_same_bytes()
    {
        // "AQID" is base64 for the bytes 1, 2, 3: the next request must carry the same base64, not base64 of "AQID".
        await using var server = new LocalAwsServer().Enqueue(
            CannedResponse.Json("""{"Items":[],"Count":0,"LastEvaluatedKey":{"id":{"B":"AQID"}}}""", contentType: "application/x-amz-json-1.0"),
            CannedResponse.Json("""{"Items":[],"Count":0}""", contentType: "application/x-amz-json-1.0"));
        using var client = NewClient(server, out _);
        var pages = await CollectAsync(client.PaginateAsync("dynamodb", "Scan", new JsonObject { ["TableName"] = "t" }, () => new ValueTreeBuilder()));
        Assert.Equal(2, pages.Count);
        Assert.Equal("AQID", JsonNode.Parse(server.RequestList[1].BodyText)!["ExclusiveStartKey"]!["id"]!["B"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stops_paging_on_a_repeated_token()
    {
        var body = """{"logGroups":[{"logGroupName":"a"}],"nextToken":"same"}""";
        await using var server = new LocalAwsServer(_ => CannedResponse.Json(body));
        using var client = NewClient(server, out _);
        var pages = await CollectAsync(client.PaginateAsync("cloudwatchlogs", "DescribeLogGroups", null, () => new ValueTreeBuilder()));
        Assert.Equal(2, pages.Count);
        Assert.Equal(2, server.RequestList.Count);
    }

    [Fact]
    public async Task Stops_paging_on_an_empty_token()
    {
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Json("""{"logGroups":[],"nextToken":""}"""));
        using var client = NewClient(server, out _);
        var pages = await CollectAsync(client.PaginateAsync("cloudwatchlogs", "DescribeLogGroups", null, () => new ValueTreeBuilder()));
        Assert.Single(pages);
    }

    [Fact]
    public async Task Retries_throttling_then_succeeds_and_tells_the_rate_limiter()
    {
        await using var server = new LocalAwsServer().Enqueue(
            CannedResponse.Json("""{"__type":"ThrottlingException","message":"Rate exceeded"}""", 400),
            new CannedResponse(429, """{"__type":"ThrottlingException","message":"slow down"}""",
                new() { ["Content-Type"] = "application/x-amz-json-1.1", ["Retry-After"] = "7" }),
            CannedResponse.Json("""{"logGroups":[{"logGroupName":"a"}]}"""));
        var limiter = new RecordingRateLimiter();
        using var client = NewClient(server, out var delays, limiter: limiter);
        var tree = new ValueTreeBuilder();
        var page = await client.CallAsync("cloudwatchlogs", "DescribeLogGroups", null, tree);
        Assert.Equal(3, page.Attempts);
        Assert.Equal("a", tree.Root!["logGroups"]![0]!["logGroupName"]!.GetValue<string>());
        Assert.Equal(2, delays.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(500), delays[0]); // throttling base 1 s × jitter 0.5
        Assert.Equal(TimeSpan.FromSeconds(7), delays[1]);        // Retry-After wins over the 1 s backoff
        Assert.Equal(3, limiter.Acquired.Count);
        Assert.Equal(new AwsRateLimitScope("123456789012", "eu-west-1", "cloudwatchlogs"), limiter.Acquired[0]);
        Assert.Equal([null, TimeSpan.FromSeconds(7)], limiter.Throttled.Select(t => t.RetryAfter));
    }

    [Fact]
    public async Task Gives_up_after_the_last_attempt_with_a_one_line_error()
    {
        await using var server = new LocalAwsServer(_ => CannedResponse.Xml(
            "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>rid-9</RequestID></Response>", 503));
        using var client = NewClient(server, out var delays, maxAttempts: 3);
        var error = await Assert.ThrowsAsync<AwsApiException>(() => client.CallAsync("ec2", "DescribeInstances", null, new ValueTreeBuilder()));
        Assert.Equal("ec2 DescribeInstances: HTTP 503 RequestLimitExceeded: Request limit exceeded.", error.Message);
        Assert.Equal(3, error.Attempts);
        Assert.True(error.IsThrottling);
        Assert.Equal("rid-9", error.RequestId);
        Assert.Equal(3, server.RequestList.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000)], delays);
    }

    [Fact]
    public async Task Does_not_retry_access_denied()
    {
        await using var server = new LocalAwsServer(_ => CannedResponse.Xml(
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>r</RequestID></Response>", 403));
        using var client = NewClient(server, out var delays);
        var error = await Assert.ThrowsAsync<AwsApiException>(() => client.CallAsync("ec2", "DescribeInstances", null, new ValueTreeBuilder()));
        Assert.Equal("ec2 DescribeInstances: HTTP 403 UnauthorizedOperation: You are not authorized to perform this operation.", error.Message);
        Assert.True(error.IsAccessDenied);
        Assert.False(error.IsThrottling);
        Assert.Equal(1, error.Attempts);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task Retries_a_reset_connection_and_a_5xx_html_page()
    {
        await using var server = new LocalAwsServer().Enqueue(
            new CannedResponse(0, "", Reset: true),
            new CannedResponse(502, "<html><body>Bad Gateway</body></html>", new() { ["Content-Type"] = "text/html" }),
            CannedResponse.Json("""{"logGroups":[]}"""));
        using var client = NewClient(server, out var delays);
        var page = await client.CallAsync("cloudwatchlogs", "DescribeLogGroups", null, new ValueTreeBuilder());
        Assert.Equal(3, page.Attempts);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task Reports_an_unreachable_endpoint_after_all_attempts()
    {
        var port = 0;
        await using (var server = new LocalAwsServer()) port = server.Url.Port;
        var options = Options(new Uri($"http://127.0.0.1:{port}/"), [], maxAttempts: 2);
        using var client = new AwsClient(options);
        var error = await Assert.ThrowsAsync<AwsApiException>(() => client.CallAsync("ec2", "DescribeInstances", null, new ValueTreeBuilder()));
        Assert.Null(error.StatusCode);
        Assert.Equal(2, error.Attempts);
        Assert.StartsWith("ec2 DescribeInstances: ConnectionError: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_attempts_that_time_out()
    {
        var served = 0;
        await using var server = new LocalAwsServer(_ => Interlocked.Increment(ref served) == 1
            ? new CannedResponse(0, "", Hang: true)
            : CannedResponse.Json("""{"logGroups":[]}"""));
        var delays = new List<TimeSpan>();
        var options = Options(server.Url, delays);
        options.AttemptTimeout = TimeSpan.FromMilliseconds(500);
        using var client = new AwsClient(options);
        var page = await client.CallAsync("cloudwatchlogs", "DescribeLogGroups", null, new ValueTreeBuilder());
        // On a loaded machine a later attempt may time out too: what matters is that a timed-out attempt is retried.
        Assert.True(page.Attempts >= 2);
        Assert.Equal(page.Attempts - 1, delays.Count);
    }

    [Fact]
    public async Task Stops_at_once_when_the_caller_cancels()
    {
        await using var server = new LocalAwsServer().Enqueue(new CannedResponse(0, "", Hang: true));
        using var client = NewClient(server, out var delays);
        using var cts = new CancellationTokenSource();
        var call = client.CallAsync("cloudwatchlogs", "DescribeLogGroups", null, new ValueTreeBuilder(), cts.Token);
        for (var i = 0; i < 1000 && server.RequestList.Count == 0; i++) await Task.Delay(10);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task Raises_protocol_errors_for_malformed_bodies_without_retrying()
    {
        await using var server = new LocalAwsServer(_ => CannedResponse.Json("""{"logGroups":[{"logGroupName":"""));
        using var client = NewClient(server, out var delays);
        await Assert.ThrowsAsync<AwsProtocolException>(() => client.CallAsync("cloudwatchlogs", "DescribeLogGroups", null, new ValueTreeBuilder()));
        Assert.Single(server.RequestList);
    }

    [Fact]
    public async Task Follows_an_s3_bucket_to_its_region_and_signs_for_it()
    {
        await using var server = new LocalAwsServer().Enqueue(
            new CannedResponse(301, "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>bucket-1.s3.eu-central-1.amazonaws.com</Endpoint></Error>",
                new() { ["Content-Type"] = "application/xml", ["x-amz-bucket-region"] = "eu-central-1" }),
            CannedResponse.Xml("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket-1</Name><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>"),
            CannedResponse.Xml("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket-1</Name><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>"));
        using var client = NewClient(server, out var delays);
        var page = await client.CallAsync("s3", "ListObjectsV2", new JsonObject { ["Bucket"] = "bucket-1" }, new ValueTreeBuilder());
        Assert.Equal("eu-central-1", page.Region);
        Assert.Equal(1, page.Attempts);
        Assert.Contains("/eu-west-1/s3/aws4_request", server.RequestList[0].Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("/eu-central-1/s3/aws4_request", server.RequestList[1].Headers["Authorization"], StringComparison.Ordinal);
        Assert.Empty(delays);

        // The bucket's region is remembered: the next call goes there directly.
        await client.CallAsync("s3", "ListObjectsV2", new JsonObject { ["Bucket"] = "bucket-1" }, new ValueTreeBuilder());
        Assert.Contains("/eu-central-1/s3/aws4_request", server.RequestList[2].Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaves_host_prefixes_off_loopback_endpoints()
    {
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Json("""{"Instances":[]}""", contentType: "application/x-amz-json-1.1"));
        using var client = NewClient(server, out _);
        await client.CallAsync("servicediscovery", "DiscoverInstances", new JsonObject { ["NamespaceName"] = "ns", ["ServiceName"] = "svc" }, new ValueTreeBuilder());
        Assert.Equal($"127.0.0.1:{server.Url.Port}", server.RequestList[0].Headers["Host"]);
    }

    [Fact]
    public async Task Sends_through_an_injected_handler()
    {
        await using var server = new LocalAwsServer().Enqueue(CannedResponse.Json("""{"logGroups":[]}"""));
        var options = Options(server.Url, []);
        var handler = new CountingHandler(new SocketsHttpHandler());
        options.HttpHandler = handler;
        using (var client = new AwsClient(options))
        {
            await client.CallAsync("cloudwatchlogs", "DescribeLogGroups", null, new ValueTreeBuilder());
        }
        Assert.Equal(1, handler.Count);
        Assert.Equal("Logs_20140328.DescribeLogGroups", server.RequestList[0].Headers["X-Amz-Target"]);
    }

    [Fact]
    public void Needs_a_region()
    {
        var options = new AwsClientOptions { Region = "", Credentials = AwsCredentialSource.Static("a", "b"), Profile = "cloudinv-test-no-such-profile" };
        if (Environment.GetEnvironmentVariable("AWS_REGION") is null && Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is null)
        {
            Assert.Throws<InvalidOperationException>(() => new AwsClient(options));
        }
        options.Region = "eu-north-1";
        using var client = new AwsClient(options);
        Assert.Equal("eu-north-1", client.Region);
    }

    [Fact]
    public void Suggests_a_near_operation_name()
    {
        using var client = new AwsClient(new AwsClientOptions { Region = "us-east-1", Credentials = AwsCredentialSource.Static("a", "b") });
        var error = Assert.Throws<CloudInventory.Aws.Models.AwsModelException>(() => client.GetOperation("ec2", "DescribeInstance"));
        Assert.Contains("did you mean 'DescribeInstances'", error.Message, StringComparison.Ordinal);
    }

    private static string Ec2Page(string instanceId, string? next) =>
        $"<DescribeInstancesResponse xmlns=\"{Ec2Ns}\"><requestId>req-{instanceId}</requestId><reservationSet><item><reservationId>r-{instanceId}</reservationId>"
        + $"<instancesSet><item><instanceId>{instanceId}</instanceId></item></instancesSet></item></reservationSet>"
        + (next is null ? "" : $"<nextToken>{next}</nextToken>") + "</DescribeInstancesResponse>";

    private static AwsClient NewClient(LocalAwsServer server, out List<TimeSpan> delays, int maxAttempts = 5,
        IAwsRateLimiter? limiter = null, string? sessionToken = null)
    {
        delays = [];
        return new AwsClient(Options(server.Url, delays, maxAttempts, limiter, sessionToken));
    }

    internal static AwsClientOptions Options(Uri endpoint, List<TimeSpan> delays, int maxAttempts = 5, IAwsRateLimiter? limiter = null, string? sessionToken = null)
    {
        var options = new AwsClientOptions
        {
            Region = "eu-west-1",
            Credentials = AwsCredentialSource.Static("AKIDTEST", "secret", sessionToken),
            EndpointUrl = endpoint,
            EndpointResolver = new AwsEndpointResolver(_ => null),
            Clock = new FixedClock(s_now),
            RateLimiter = limiter,
            AccountId = "123456789012",
            AttemptTimeout = TimeSpan.FromSeconds(30),
        };
        options.Retry.MaxAttempts = maxAttempts;
        options.Retry.Jitter = () => 0.5;
        options.Retry.DelayAsync = (delay, _) =>
        {
            lock (delays) delays.Add(delay);
            return Task.CompletedTask;
        };
        return options;
    }

    private static async Task<List<AwsPage>> CollectAsync(IAsyncEnumerable<AwsPage> pages)
    {
        var list = new List<AwsPage>();
        await foreach (var page in pages) list.Add(page);
        return list;
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public int Count { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Count++;
            return base.SendAsync(request, cancellationToken);
        }
    }

    internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class RecordingRateLimiter : IAwsRateLimiter
    {
        public List<AwsRateLimitScope> Acquired { get; } = [];

        public List<(AwsRateLimitScope Scope, TimeSpan? RetryAfter)> Throttled { get; } = [];

        public ValueTask AcquireAsync(AwsRateLimitScope scope, CancellationToken cancellationToken = default)
        {
            Acquired.Add(scope);
            return ValueTask.CompletedTask;
        }

        public void OnThrottled(AwsRateLimitScope scope, TimeSpan? retryAfter) => Throttled.Add((scope, retryAfter));
    }
}
