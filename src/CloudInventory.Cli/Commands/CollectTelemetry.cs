using CloudInventory.Collection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// The logs and metrics of one <c>collect</c>: <c>--log-format json</c> (one JSON event per line) or <c>text</c> on
/// standard error through Microsoft.Extensions.Logging, and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the
/// collector's metrics pushed over OTLP (the exporter reads the standard <c>OTEL_*</c> variables). Disposing flushes both.
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

    /// <summary>Starts logging in <paramref name="format"/> (null, <c>text</c> or <c>json</c>) and OTLP export when configured.</summary>
    /// <exception cref="FormatException">An unknown format.</exception>
    public static CollectTelemetry Start(string? format, Func<string, string?> environment)
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
        var meters = string.IsNullOrEmpty(environment(EndpointVariable))
            ? null
            : Sdk.CreateMeterProviderBuilder().AddMeter(CollectorMetrics.MeterName).AddOtlpExporter().Build();
        return new CollectTelemetry(loggers, meters);
    }

    public void Dispose()
    {
        _meters?.Dispose();
        _loggers?.Dispose();
    }
}
