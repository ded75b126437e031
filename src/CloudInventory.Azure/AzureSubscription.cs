using System.Text.Json;

namespace CloudInventory.Azure;

/// <summary>A subscription the credential can see, as <c>GET /subscriptions</c> lists it.</summary>
/// <param name="SubscriptionId">The subscription's GUID.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="State">Its state: <c>Enabled</c>, <c>Disabled</c>, <c>Warned</c>, <c>PastDue</c>, <c>Deleted</c>.</param>
/// <param name="TenantId">The tenant it belongs to.</param>
/// <param name="Raw">The whole object Azure returned.</param>
public sealed record AzureSubscription(string SubscriptionId, string DisplayName, string State, string? TenantId, JsonElement Raw)
{
    /// <summary>Whether its resources are collected: only Enabled subscriptions are.</summary>
    public bool IsEnabled => string.Equals(State, "Enabled", StringComparison.OrdinalIgnoreCase);
}
