using System.Diagnostics;
using System.Text.Json;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Cli.Commands;

public sealed class CollectLogFormatTests
{
    private static async Task<(int Code, string Stdout, string Stderr)> CollectAsync(SimulatedCloud cloud, string secret, string? token, string store, string logFormat = "json", params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "cloudinv.dll"), "collect", "--store", store, "--endpoint-url", cloud.Endpoint.ToString(),
            "--log-format", logFormat, "--org", "--role-name", "inventory", "--regions", "us-east-1", "--tables", "aws_ec2_vpcs", "aws_s3_buckets" }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["AWS_ACCESS_KEY_ID"] = cloud.ManagementAccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        if (token is not null) start.Environment["AWS_SESSION_TOKEN"] = token;
        else start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static JsonElement[] Events(string stderr) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                using var doc = JsonDocument.Parse(line); // every line is one JSON event
                return doc.RootElement.Clone();
            })
            .ToArray();

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Json_logs_are_one_event_per_line_on_stderr_and_never_carry_credentials()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 4, Accounts = 3, Regions = ["us-east-1"], Date = new DateOnly(2026, 11, 20) });
        var secret = cloud.SecretFor(cloud.ManagementAccessKey);
        var store = Directory.CreateTempSubdirectory("cloudinv-logs-").FullName;
        try
        {
            var (code, stdout, stderr) = await CollectAsync(cloud, secret, null, store, "json", "--external-id", "planted-external-id-51c9");
            Assert.True(code == 0, stderr);
            var events = Events(stderr);
            // Event ids (CollectorLog): 1 RunStarted, 2 RunFinished, 3 AccountEntered.
            var ids = events.Select(e => e.GetProperty("EventId").GetInt32()).ToArray();
            // The accounts are entered first; the run starts when the work is planned and finishes last.
            Assert.Single(ids, n => n == 1);
            Assert.True(Array.IndexOf(ids, 1) > Array.LastIndexOf(ids, 3));
            Assert.Equal(2, ids[^1]);
            Assert.Equal(3 - 1, ids.Count(n => n == 3)); // one of the three accounts is suspended
            Assert.All(events, e => Assert.Equal("cloudinv.collect", e.GetProperty("Category").GetString()));
            var finished = events[^1].GetProperty("State");
            Assert.Equal("complete", finished.GetProperty("Status").GetString());
            Assert.True(long.Parse(finished.GetProperty("Rows").GetRawText().Trim('"'), System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.All(events, e => Assert.EndsWith("Z", e.GetProperty("Timestamp").GetString(), StringComparison.Ordinal));
            Assert.Contains("complete", stdout, StringComparison.Ordinal); // the summary stays on stdout
            Assert.DoesNotContain(secret, stderr + stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("planted-external-id", stderr + stdout, StringComparison.Ordinal);

            // Wrong credentials with a planted session token: one error event, no secret and no token in it.
            var (failed, _, failure) = await CollectAsync(cloud, "planted-secret-key-0c1d2e3f", "planted-session-token-9a8b7c", store);
            Assert.Equal(2, failed);
            var lines = failure.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(lines, l => l.StartsWith("{\"Timestamp\"", StringComparison.Ordinal) && l.Contains("\"EventId\":20,", StringComparison.Ordinal));
            Assert.DoesNotContain("planted-secret-key", failure, StringComparison.Ordinal);
            Assert.DoesNotContain("planted-session-token", failure, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_log_format_is_bad_usage()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 4, Accounts = 1, Regions = ["us-east-1"] });
        var store = Directory.CreateTempSubdirectory("cloudinv-logs-").FullName;
        try
        {
            var (code, _, stderr) = await CollectAsync(cloud, cloud.SecretFor(cloud.ManagementAccessKey), null, store, "xml");
            Assert.Equal(2, code);
            Assert.Contains("error: log_format", stderr, StringComparison.Ordinal);
            Assert.Contains("is not text or json", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}
