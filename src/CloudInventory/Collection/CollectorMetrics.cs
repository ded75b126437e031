using System.Diagnostics.Metrics;

namespace CloudInventory.Collection;

/// <summary>
/// The collector's metrics, as <see cref="System.Diagnostics.Metrics"/> instruments of the meter
/// <see cref="MeterName"/>: any listener (OpenTelemetry's OTLP exporter in the CLI, a Prometheus endpoint, a test's
/// <see cref="MeterListener"/>) reads them. Tags are low-cardinality: run status, AWS service, error code.
/// </summary>
public static class CollectorMetrics
{
    /// <summary>The meter's name, to subscribe to (e.g. <c>AddMeter(CollectorMetrics.MeterName)</c>).</summary>
    public const string MeterName = "CloudInventory.Collector";

    private static readonly Meter s_meter = new(MeterName, InventoryCollector.ToolVersion);
    private static readonly Counter<long> s_runs = s_meter.CreateCounter<long>("cloudinv.collector.runs", "{run}", "Collection runs that ended, by status (complete, partial, failed).");
    // Buckets for runs of seconds to hours (the default ones suit milliseconds).
    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram("cloudinv.collector.run.duration", "s", "Wall time of a collection run.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200] });
    private static readonly Counter<long> s_rows = s_meter.CreateCounter<long>("cloudinv.collector.rows", "{row}", "Rows collected.");
    private static readonly Counter<long> s_calls = s_meter.CreateCounter<long>("cloudinv.collector.api_calls", "{call}", "AWS API requests sent (retries included), by service.");
    private static readonly Counter<long> s_throttles = s_meter.CreateCounter<long>("cloudinv.collector.throttles", "{response}", "Throttling responses from AWS, by service.");
    private static readonly Counter<long> s_errors = s_meter.CreateCounter<long>("cloudinv.collector.errors", "{error}", "Calls that failed for good (recorded in cloudinv_errors), by service and error code.");
    private static long s_lastSuccess;

    static CollectorMetrics() =>
        s_meter.CreateObservableGauge("cloudinv.collector.last_success", ObserveLastSuccess, "s", "When the last complete run finished, in seconds since the Unix epoch (absent before one has).");

    internal static void ApiCall(string service) => s_calls.Add(1, new KeyValuePair<string, object?>("service", service));

    internal static void Throttled(string service) => s_throttles.Add(1, new KeyValuePair<string, object?>("service", service));

    internal static void Error(string service, string code) =>
        s_errors.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("code", code));

    internal static void RunEnded(string status, TimeSpan duration, long rows, DateTimeOffset finishedAt)
    {
        var tag = new KeyValuePair<string, object?>("status", status);
        s_runs.Add(1, tag);
        s_duration.Record(duration.TotalSeconds, tag);
        s_rows.Add(rows);
        if (status == "complete") Interlocked.Exchange(ref s_lastSuccess, finishedAt.ToUnixTimeSeconds());
    }

    private static IEnumerable<Measurement<long>> ObserveLastSuccess()
    {
        var last = Interlocked.Read(ref s_lastSuccess);
        return last == 0 ? [] : [new Measurement<long>(last)];
    }
}
