using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CloudInventory.Simulator;
using CloudInventory.Storage;
using static CloudInventory.Tests.Server.Scheduling.ServeProcess;

namespace CloudInventory.Tests.Server.Scheduling;

/// <summary>
/// <c>cloudinv serve --schedule</c> as a process against the simulator: runs on time, never two at once, a stop that
/// finishes or abandons the run in flight with nothing half visible, and logs and metrics that report exactly the runs.
/// Event ids: collector 1 RunStarted, 2 RunFinished; schedule 41 RunCatchUp, 42 RunSkipped, 44 RunAbandoned, 46 ScheduleStopped.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScheduledServeTests
{
    private static readonly string[] Collect = ["--org", "--role-name", "inventory", "--regions", "us-east-1", "--tables", "aws_ec2_vpcs", "aws_s3_buckets"];

    [Fact]
    public async Task A_one_minute_schedule_collects_three_times_without_overlap_and_a_SIGTERM_mid_run_leaves_nothing_half_visible()
    {
        var simulator = new SimulatorOptions { Seed = 21, Accounts = 3, Regions = ["us-east-1"] };
        await using var cloud = await SimulatedCloud.StartAsync(simulator);
        var store = Directory.CreateTempSubdirectory("cloudinv-schedule-").FullName;
        // The catch-up run at start must end before the next minute mark, or that due time is (rightly) skipped.
        if (DateTime.UtcNow.Second > 40) await Task.Delay(TimeSpan.FromSeconds(61 - DateTime.UtcNow.Second));
        try
        {
            await using var serve = ServeProcess.Start(cloud, null,
                ["--store", store, "--listen", "127.0.0.1:0", "--schedule", "* * * * *", "--log-format", "json", "--endpoint-url", cloud.Endpoint.ToString(),
                 "--stop-grace", "2s", "--concurrency", "1", .. Collect]);
            var address = await serve.AddressAsync(TimeSpan.FromMinutes(1));

            // The store is empty: a catch-up run at start, then one each minute.
            var finished = await serve.WaitForEventsAsync(2, 3, TimeSpan.FromMinutes(4));
            Assert.Single(serve.Events(), e => Id(e) == 41);
            var metrics = await serve.Http.GetStringAsync(new Uri(address, "/metrics"));
            var runs = await serve.Http.GetStringAsync(new Uri(address, "/api/v1/runs"));
            var ready = await serve.Http.GetAsync(new Uri(address, "/readyz"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

            // The fourth run is slow (the simulator reads its options on every request): SIGTERM while it runs.
            simulator.Latency = LatencyDistribution.Parse("400");
            var started = await serve.WaitForEventsAsync(1, 4, TimeSpan.FromMinutes(2));
            serve.Terminate();
            Assert.True(await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)), "serve did not stop within its grace period");
            Assert.Equal(0, serve.ExitCode);

            var events = serve.Events();
            var ids = events.Select(Id).ToArray();
            Assert.Equal(4, ids.Count(i => i == 1));
            Assert.Equal(3, ids.Count(i => i == 2));
            Assert.Single(ids, i => i == 44);
            Assert.DoesNotContain(42, ids);
            Assert.Equal(46, ids[^1]);
            // Never two at once: each run finished before the next started.
            var order = ids.Where(i => i is 1 or 2).ToArray();
            Assert.Equal([1, 2, 1, 2, 1, 2, 1], order);

            // The store holds exactly the three finished runs; the abandoned one left no file anywhere.
            var local = new LocalInventoryStore(store);
            var manifests = (await StoreManifests.ReadAsync(local)).Accepted.OrderBy(m => m.StartedAt).ToArray();
            Assert.Equal(finished.Select(e => State(e, "RunId")), manifests.Select(m => m.RunId));
            Assert.All(manifests, m => Assert.Equal(RunStatus.Complete, m.Status));
            for (var i = 1; i < manifests.Length; i++)
            {
                Assert.True(manifests[i].StartedAt > manifests[i - 1].FinishedAt);
                // Due each minute: the scheduled runs start right after a minute mark (loose bound: a loaded machine).
                Assert.True(manifests[i].StartedAt.Second < 15, $"run {i + 1} started at {manifests[i].StartedAt:O}");
            }
            var abandoned = State(started[3], "RunId");
            Assert.DoesNotContain(Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories), f => f.Contains(abandoned, StringComparison.Ordinal));

            // The server saw each run without a restart, and /metrics and the logs report exactly these runs.
            using (var doc = JsonDocument.Parse(runs))
            {
                Assert.Equal(manifests.Select(m => m.RunId).Order(StringComparer.Ordinal), doc.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()).Order(StringComparer.Ordinal));
            }
            Assert.Equal(3, Sample(metrics, "cloudinv_collector_runs_total", "status=\"complete\""));
            Assert.Null(Sample(metrics, "cloudinv_collector_runs_total", "status=\"failed\""));
            Assert.Equal(3, Sample(metrics, "cloudinv_collector_run_duration_seconds_count"));
            var rows = finished.Sum(e => long.Parse(State(e, "Rows"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(manifests.Sum(m => m.Tables.Sum(t => t.Rows)), rows);
            Assert.Equal(rows, Sample(metrics, "cloudinv_collector_rows_total"));
            Assert.Equal(manifests[^1].FinishedAt.ToUnixTimeSeconds(), Sample(metrics, "cloudinv_collector_last_success_seconds"));
            Assert.True(Sample(metrics, "cloudinv_collector_api_calls_total", "service=\"ec2\"") > 0);
            Assert.True(Sample(metrics, "cloudinv_collector_api_calls_total", "service=\"s3\"") > 0);
            Assert.Null(Sample(metrics, "cloudinv_schedule_skipped_total"));
            Assert.DoesNotContain(cloud.SecretFor(cloud.ManagementAccessKey), serve.Stderr + serve.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_longer_than_the_period_is_never_doubled_the_skips_are_logged_and_counted_and_a_stop_lets_the_run_finish()
    {
        // Every run takes about 70 calls at 100 ms one at a time: several due times of a two-second schedule pass meanwhile.
        var simulator = new SimulatorOptions { Seed = 22, Accounts = 3, Regions = ["us-east-1"], Latency = LatencyDistribution.Parse("100") };
        await using var cloud = await SimulatedCloud.StartAsync(simulator);
        var store = Directory.CreateTempSubdirectory("cloudinv-schedule-").FullName;
        const string token = "planted-dashboard-token-5d1e";
        try
        {
            await using var serve = ServeProcess.Start(cloud, new Dictionary<string, string> { ["CLOUDINV_AUTH_TOKEN"] = token },
                ["--store", store, "--listen", "127.0.0.1:0", "--schedule", "*/2 * * * * *", "--log-format", "json", "--endpoint-url", cloud.Endpoint.ToString(),
                 "--stop-grace", "2min", "--concurrency", "1", "--ready-max-age", "10min", .. Collect]);
            var address = await serve.AddressAsync(TimeSpan.FromMinutes(1));

            // Before the first run ends: live, not ready, the API says so; the probes need no token, the metrics do.
            Assert.Equal(HttpStatusCode.OK, (await serve.Http.GetAsync(new Uri(address, "/healthz"))).StatusCode);
            var notReady = await serve.Http.GetAsync(new Uri(address, "/readyz"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("no successful run yet", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await serve.Http.GetAsync(new Uri(address, "/metrics"))).StatusCode);
            serve.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await serve.Http.GetAsync(new Uri(address, "/api/v1/runs"))).StatusCode);

            // While the third run goes, every skip of the first two has been logged (at each run's end) and counted.
            await serve.WaitForEventsAsync(1, 3, TimeSpan.FromMinutes(3));
            var metrics = await serve.Http.GetStringAsync(new Uri(address, "/metrics"));
            var skippedSoFar = serve.Events().Count(e => Id(e) == 42);
            Assert.True(skippedSoFar >= 2, serve.Stderr);
            Assert.Equal(skippedSoFar, Sample(metrics, "cloudinv_schedule_skipped_total"));
            Assert.Equal(2, Sample(metrics, "cloudinv_collector_runs_total", "status=\"complete\""));
            Assert.Equal(HttpStatusCode.OK, (await serve.Http.GetAsync(new Uri(address, "/readyz"))).StatusCode);
            using (var doc = JsonDocument.Parse(await serve.Http.GetStringAsync(new Uri(address, "/api/v1/runs"))))
            {
                Assert.Equal(2, doc.RootElement.GetProperty("runs").GetArrayLength());
            }

            // SIGTERM mid-run with a long grace: the run in flight finishes and is published, then the server stops.
            serve.Terminate();
            Assert.True(await serve.WaitForExitAsync(TimeSpan.FromMinutes(2)), "serve did not stop");
            Assert.Equal(0, serve.ExitCode);
            var ids = serve.Events().Select(Id).ToArray();
            Assert.Equal(3, ids.Count(i => i == 1));
            Assert.Equal(3, ids.Count(i => i == 2));
            Assert.DoesNotContain(44, ids);
            Assert.Equal([1, 2, 1, 2, 1, 2], ids.Where(i => i is 1 or 2));
            var manifests = (await StoreManifests.ReadAsync(new LocalInventoryStore(store))).Accepted;
            Assert.Equal(3, manifests.Count);
            Assert.DoesNotContain(token, serve.Stderr + serve.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}
