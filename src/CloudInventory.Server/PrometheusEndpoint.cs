using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Metrics;

namespace CloudInventory.Server;

/// <summary>
/// <c>/metrics</c>: the metrics of a <see cref="MeterProvider"/> built with OpenTelemetry's Prometheus exporter
/// (<c>AddPrometheusExporter</c>), as Prometheus text. Behind the token when the server has one, like the API.
/// </summary>
/// <param name="meters">The meter provider holding the Prometheus exporter.</param>
public sealed class PrometheusEndpoint(MeterProvider meters) : IDashboardEndpointGroup
{
    /// <summary>The path scraped.</summary>
    public const string Path = "/metrics";

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(Path, meters, null, null);
}
