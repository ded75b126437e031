using System.Text;
using CloudInventory.Simulator;

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
}
