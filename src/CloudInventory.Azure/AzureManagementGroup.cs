using System.Text.Json;

namespace CloudInventory.Azure;

/// <summary>A management group as <c>GET …/managementGroups/{id}?$expand=ancestors</c> returns it.</summary>
/// <param name="Id">Its resource id (<c>/providers/Microsoft.Management/managementGroups/…</c>).</param>
/// <param name="Name">Its name (its id; the tenant id for the tenant root group).</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="TenantId">The tenant it belongs to.</param>
/// <param name="ParentId">Its parent's resource id; null for the tenant root group.</param>
/// <param name="Ancestors">The names of its ancestors, from the immediate parent to the tenant root group.</param>
/// <param name="Raw">The whole object Azure returned.</param>
public sealed record AzureManagementGroup(string Id, string Name, string? DisplayName, string? TenantId, string? ParentId, IReadOnlyList<string> Ancestors, JsonElement Raw);
