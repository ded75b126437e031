using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Cli.Commands;

public sealed class CollectOtlpExportTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task With_an_OTLP_endpoint_collect_exports_its_metrics_over_OTLP_http_protobuf()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 5, Accounts = 2, Regions = ["us-east-1"] });
        var store = Directory.CreateTempSubdirectory("cloudinv-otlp-").FullName;
        // A tiny OTLP/HTTP receiver on loopback: it keeps every request's path, content type and body, and answers 200.
        var port = FreePort();
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        var received = new ConcurrentQueue<(string Path, string? Type, byte[] Body)>();
        var serving = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await receiver.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        });
        try
        {
            var start = CliProcess.StartInfo(cloud, ["collect", "--store", store, "--endpoint-url", cloud.Endpoint.ToString(),
                "--regions", "us-east-1", "--tables", "aws_ec2_vpcs", "aws_s3_buckets", "--format", "json"]);
            start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}";
            start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            start.Environment["OTEL_SERVICE_NAME"] = "cloudinv-otlp-test";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await stderr);
            Assert.Contains("\"status\":\"complete\"", (await stdout).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

            // The exit flushed the metrics: one or more OTLP exports with the collector's instruments (names are plain UTF-8 in protobuf).
            var exports = received.Where(r => r.Path == "/v1/metrics").ToArray();
            Assert.NotEmpty(exports);
            Assert.All(exports, e => Assert.Equal("application/x-protobuf", e.Type));
            var bodies = Encoding.UTF8.GetString(exports.SelectMany(e => e.Body).ToArray());
            foreach (var name in new[] { "cloudinv.collector.runs", "cloudinv.collector.run.duration", "cloudinv.collector.rows", "cloudinv.collector.api_calls", "cloudinv.collector.last_success", "CloudInventory.Collector", "cloudinv-otlp-test" })
            {
                Assert.Contains(name, bodies, StringComparison.Ordinal);
            }
            Assert.Contains("complete", bodies, StringComparison.Ordinal); // the runs' status attribute
            Assert.DoesNotContain(cloud.SecretFor(cloud.ManagementAccessKey), bodies, StringComparison.Ordinal);
        }
        finally
        {
            receiver.Stop();
            await serving;
            Directory.Delete(store, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
