using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server.Internal;

/// <summary>
/// The probes: <c>/healthz</c> (the process answers) and <c>/readyz</c> (the host's readiness, e.g. the last successful
/// scheduled run is recent enough; without one, the store can be read). Both answer without the token (probes carry
/// none) and say nothing about the inventory itself.
/// </summary>
internal sealed class HealthEndpoints(InventorySessions sessions, Func<ServerReadiness>? readiness) : IDashboardEndpointGroup
{
    public static readonly string[] Paths = ["/healthz", "/readyz"];

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new HealthBody("live", "the server answers"), ApiJson.Options)).ExcludeFromDescription();
        endpoints.MapGet("/readyz", () =>
        {
            var state = readiness?.Invoke() ?? StoreReadiness();
            return Results.Json(new HealthBody(state.IsReady ? "ready" : "not ready", state.Reason), ApiJson.Options,
                statusCode: state.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).ExcludeFromDescription();
    }

    private ServerReadiness StoreReadiness() => sessions.NotReady is { } why
        ? new ServerReadiness(false, "the store cannot be served: " + why)
        : new ServerReadiness(true, "the store was read");

    private sealed record HealthBody(string Status, string Reason);
}
