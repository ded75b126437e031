using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server;

/// <summary>A group of endpoints the dashboard server maps (the API, the pages, and any a host adds, such as health checks).</summary>
public interface IDashboardEndpointGroup
{
    /// <summary>Maps the group's endpoints.</summary>
    /// <param name="endpoints">The application's route builder.</param>
    void Map(IEndpointRouteBuilder endpoints);
}
