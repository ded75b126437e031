using System.Text;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Simulator;

public class SimulatedResponderTests
{
    private static async Task<byte[]> FetchAsync(SimulatedCloud cloud, string form, string? accessKey = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, cloud.Endpoint) { Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded") };
        var key = accessKey ?? cloud.ManagementAccessKey;
        // The simulator routes on the credential scope; the signature itself is not checked here.
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={key}/20261120/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task Two_simulators_with_the_same_seed_and_date_answer_byte_for_byte_the_same()
    {
        var options = () => new SimulatorOptions { Seed = 11, Date = new DateOnly(2026, 11, 20) };
        await using var a = await SimulatedCloud.StartAsync(options());
        await using var b = await SimulatedCloud.StartAsync(options());
        foreach (var form in new[] { "Action=DescribeInstances&Version=2016-11-15", "Action=DescribeSubnets&Version=2016-11-15", "Action=DescribeSecurityGroups&Version=2016-11-15&MaxResults=2" })
        {
            Assert.Equal(await FetchAsync(a, form), await FetchAsync(b, form));
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
