using System.Text.Json;

namespace CloudInventory.Azure;

/// <summary>A descendant of a management group: a management group or a subscription, with its parent.</summary>
/// <param name="Id">Its resource id (<c>/providers/Microsoft.Management/managementGroups/…</c> or <c>/subscriptions/…</c>).</param>
/// <param name="Name">Its name (the group name or the subscription GUID).</param>
/// <param name="Type">Its type: <c>Microsoft.Management/managementGroups</c> or <c>/subscriptions</c>.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="ParentId">Its parent's resource id.</param>
/// <param name="Raw">The whole object Azure returned.</param>
public sealed record AzureManagementGroupEntity(string Id, string Name, string Type, string? DisplayName, string? ParentId, JsonElement Raw)
{
    /// <summary>Whether it is a subscription (not a management group).</summary>
    public bool IsSubscription => Type.EndsWith("subscriptions", StringComparison.OrdinalIgnoreCase);
}
