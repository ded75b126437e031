using System.Text.Json;

namespace CloudInventory.Azure.Internal;

/// <summary>Reads the list answers of Resource Manager (subscriptions, management groups and their descendants) and its error shape.</summary>
internal static class AzureResponseReader
{
    /// <summary>The items of a list answer and its <c>nextLink</c>.</summary>
    public static (IReadOnlyList<JsonElement> Items, string? NextLink) ReadList(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the answer has no 'value' array");
        }
        var items = value.EnumerateArray().Select(e => e.Clone()).ToList();
        var next = body.TryGetProperty("nextLink", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } s ? s : null;
        return (items, next);
    }

    /// <summary>A subscription of <c>GET /subscriptions</c>.</summary>
    public static AzureSubscription ReadSubscription(JsonElement item)
    {
        var id = String(item, "subscriptionId") ?? throw new FormatException("a subscription has no 'subscriptionId'");
        return new AzureSubscription(id, String(item, "displayName") ?? id, String(item, "state") ?? "Unknown", String(item, "tenantId"), item);
    }

    /// <summary>An entity of a management group's descendants.</summary>
    public static AzureManagementGroupEntity ReadDescendant(JsonElement item)
    {
        var id = String(item, "id") ?? throw new FormatException("a descendant has no 'id'");
        var name = String(item, "name") ?? id[(id.LastIndexOf('/') + 1)..];
        var type = String(item, "type") ?? throw new FormatException($"descendant {id} has no 'type'");
        string? displayName = null, parent = null;
        if (item.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            displayName = String(p, "displayName");
            if (p.TryGetProperty("parent", out var parentObject) && parentObject.ValueKind == JsonValueKind.Object) parent = String(parentObject, "id");
        }
        return new AzureManagementGroupEntity(id, name, type, displayName, parent, item);
    }

    /// <summary>A management group of <c>GET …/managementGroups/{id}</c> (with <c>$expand=ancestors</c> for its ancestors).</summary>
    public static AzureManagementGroup ReadManagementGroup(JsonElement item)
    {
        var id = String(item, "id") ?? throw new FormatException("a management group has no 'id'");
        var name = String(item, "name") ?? id[(id.LastIndexOf('/') + 1)..];
        string? displayName = null, tenant = null, parent = null;
        var ancestors = new List<string>();
        if (item.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            displayName = String(p, "displayName");
            tenant = String(p, "tenantId");
            if (p.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
                && details.TryGetProperty("parent", out var parentObject) && parentObject.ValueKind == JsonValueKind.Object)
            {
                parent = String(parentObject, "id");
            }
            if (p.TryGetProperty("ancestors", out var chain) && chain.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in chain.EnumerateArray())
                {
                    ancestors.Add((a.ValueKind == JsonValueKind.Object ? String(a, "name") : null) ?? throw new FormatException($"an ancestor of {id} has no 'name'"));
                }
            }
        }
        return new AzureManagementGroup(id, name, displayName, tenant, parent, ancestors, item);
    }

    /// <summary>Azure's error code and message from an error body (<c>{"error":{"code","message"}}</c>), or what can be said without one.</summary>
    public static (string Code, string Message) ReadError(int status, BinaryData? body)
    {
        try
        {
            if (body is not null && body.ToMemory().Length > 0)
            {
                using var doc = JsonDocument.Parse(body.ToMemory());
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    return (String(e, "code") ?? $"Http{status}", String(e, "message") ?? "(no message)");
                }
            }
        }
        catch (JsonException)
        {
            // Not Azure's error shape: fall through to the status.
        }
        return ($"Http{status}", "the answer carries no Azure error body");
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
