using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CloudInventory.Aws.Credentials;
using CloudInventory.Collection;
using CloudInventory.Simulator;
using CloudInventory.Storage;
using Microsoft.Extensions.Logging;

namespace CloudInventory.Tests.Collection;

public sealed class CollectorMetricsTests
{
    /// <summary>Records log events as (event name, level, formatted message, state values).</summary>
    private sealed class RecordingLogger : ILogger
    {
        public ConcurrentQueue<(string Event, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Events { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue((eventId.Name ?? "", logLevel, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }

    [Fact]
    public async Task A_run_logs_its_events_and_counts_runs_rows_calls_throttles_and_errors_by_service_without_credentials()
    {
        var simulator = new SimulatorOptions { Seed = 11, Accounts = 3, Regions = ["us-east-1"], ThrottleRate = 0.2, Date = new DateOnly(2026, 11, 20) };
        await using var cloud = await SimulatedCloud.StartAsync(simulator);
        var member = cloud.World.Accounts.First(a => a.Id != cloud.World.ManagementAccount.Id && a.Status == "ACTIVE").Id;
        simulator.AccessDenied.Add((member, "s3")); // the simulator reads its options on every request
        var measurements = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == CollectorMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, (long)Math.Ceiling(value), tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        var logger = new RecordingLogger();
        var secret = cloud.SecretFor(cloud.ManagementAccessKey);
        var store = Directory.CreateTempSubdirectory("cloudinv-metrics-").FullName;
        try
        {
            var result = await new InventoryCollector().RunAsync(new CollectOptions
            {
                Credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, secret),
                EndpointUrl = cloud.Endpoint,
                Organization = true,
                RoleName = "inventory",
                ExternalId = "planted-external-id-7f3a",
                Tables = ["aws_ec2_vpcs", "aws_s3_buckets", "aws_iam_roles"],
                Store = store,
                RateMultiplier = 100,
                MaxAttempts = 10,
                Retry = new CloudInventory.Aws.Client.AwsRetryOptions { MaxAttempts = 10, BaseDelay = TimeSpan.FromMilliseconds(1), ThrottlingBaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
                Logger = logger,
            });
            listener.RecordObservableInstruments();
            var manifest = result.Manifest;
            Assert.True(manifest.Throttles > 0, "the simulator throttled nothing");

            var events = logger.Events.ToArray();
            Assert.Single(events, e => e.Event == "RunStarted" && e.Message.Contains(manifest.RunId, StringComparison.Ordinal));
            var finished = Assert.Single(events, e => e.Event == "RunFinished");
            Assert.Contains($"finished {manifest.Status.ToString().ToLowerInvariant()}", finished.Message, StringComparison.Ordinal);
            Assert.Equal(manifest.Tables.Sum(t => t.Rows), Convert.ToInt64(finished.State.Single(s => s.Key == "Rows").Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(result.Accounts.Count, events.Count(e => e.Event == "AccountEntered"));
            Assert.Contains(events, e => e.Event == "TableSkipped" && e.Message.Contains(member, StringComparison.Ordinal) && e.Message.Contains("aws_s3_buckets", StringComparison.Ordinal));
            var throttled = events.Where(e => e.Event == "Throttled").Sum(e => Convert.ToInt64(e.State.Single(s => s.Key == "Count").Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(manifest.Throttles, throttled);
            Assert.Equal(events.Length, events.Select(e => e.Event).Count(n => n.Length > 0));
            Assert.DoesNotContain(events, e => e.Message.Contains(secret, StringComparison.Ordinal) || e.Message.Contains("planted-external-id", StringComparison.Ordinal));

            // Other tests may run collections at the same time (the meter is process-wide): at least this run's share.
            long Sum(string name, Func<Dictionary<string, object?>, bool>? where = null) => measurements.Where(m => m.Instrument == name && (where is null || where(m.Tags))).Sum(m => m.Value);
            Assert.True(Sum("cloudinv.collector.runs", t => (string?)t["status"] == manifest.Status.ToString().ToLowerInvariant()) >= 1);
            Assert.True(Sum("cloudinv.collector.rows") >= manifest.Tables.Sum(t => t.Rows));
            Assert.True(Sum("cloudinv.collector.api_calls", t => (string?)t["service"] == "ec2") > 0);
            Assert.True(Sum("cloudinv.collector.api_calls", t => (string?)t["service"] == "iam") > 0);
            Assert.True(Sum("cloudinv.collector.throttles") >= manifest.Throttles);
            Assert.True(Sum("cloudinv.collector.errors", t => (string?)t["service"] == "s3") >= 1);
            Assert.True(Sum("cloudinv.collector.run.duration") >= 0);
            if (manifest.Status == RunStatus.Complete)
            {
                Assert.Contains(measurements, m => m.Instrument == "cloudinv.collector.last_success" && m.Value >= manifest.FinishedAt.ToUnixTimeSeconds() - 1);
            }
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}
