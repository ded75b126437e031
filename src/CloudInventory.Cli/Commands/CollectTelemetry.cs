using CloudInventory.Collection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// The logs and metrics of <c>collect</c> (and of <c>serve --schedule</c>'s runs): <c>--log-format json</c> (one JSON event
/// per line) or <c>text</c> on standard error through Microsoft.Extensions.Logging, and, when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the metrics pushed over OTLP (the exporter reads the standard <c>OTEL_*</c>
/// variables); for <c>serve</c> also a Prometheus exporter that <c>/metrics</c> reads. Disposing flushes both.
/// </summary>
internal sealed class CollectTelemetry : IDisposable
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly ILoggerFactory? _loggers;
    private readonly MeterProvider? _meters;

    private CollectTelemetry(ILoggerFactory? loggers, MeterProvider? meters)
    {
        _loggers = loggers;
        _meters = meters;
        Logger = loggers?.CreateLogger("cloudinv.collect");
    }

    /// <summary>The logger for the run, or null when no --log-format was given.</summary>
    public ILogger? Logger { get; }

    /// <summary>The meter provider (OTLP and/or Prometheus), or null when neither is on.</summary>
    public MeterProvider? Meters => _meters;

    /// <summary>Another category's logger (e.g. <c>cloudinv.serve</c> for the schedule's events), or null without logging.</summary>
    public ILogger? LoggerFor(string category) => _loggers?.CreateLogger(category);

    /// <summary>
    /// Starts logging in <paramref name="format"/> (null, <c>text</c> or <c>json</c>) and OTLP export when configured;
    /// with <paramref name="prometheusMeters"/>, also a Prometheus exporter over those meters and the collector's.
    /// </summary>
    /// <exception cref="FormatException">An unknown format.</exception>
    public static CollectTelemetry Start(string? format, Func<string, string?> environment, IReadOnlyList<string>? prometheusMeters = null)
    {
        ILoggerFactory? loggers = format switch
        {
            null => null,
            "json" => LoggerFactory.Create(b => b
                .AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                })
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)),
            "text" => LoggerFactory.Create(b => b
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                })
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)),
            _ => throw new FormatException($"log_format: '{format}' is not text or json"),
        };
        var otlp = !string.IsNullOrEmpty(environment(EndpointVariable));
        if (!otlp && prometheusMeters is null) return new CollectTelemetry(loggers, null);
        var builder = Sdk.CreateMeterProviderBuilder().AddMeter([CollectorMetrics.MeterName, .. prometheusMeters ?? []])
            .ConfigureResource(r => r.AddService(environment("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : "cloudinv", serviceVersion: InventoryCollector.ToolVersion));
        if (otlp) builder.AddOtlpExporter();
        // Every scrape reads the current values (no response cache): a test or an alert sees a run as soon as it ended.
        if (prometheusMeters is not null) builder.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
        return new CollectTelemetry(loggers, builder.Build());
    }

    public void Dispose()
    {
        _meters?.Dispose();
        _loggers?.Dispose();
    }
}
