namespace CloudInventory.Azure;

/// <summary>
/// The one home of the KQL the collector sends to Resource Graph: a whole table (<c>resources</c>,
/// <c>resourcecontainers</c>) ordered by id, so that skip tokens page a stable order.
/// </summary>
public sealed class ResourceGraphQuery
{
    /// <summary>Every resource.</summary>
    public static readonly ResourceGraphQuery Resources = new("resources");

    /// <summary>Subscriptions and resource groups (and management groups).</summary>
    public static readonly ResourceGraphQuery ResourceContainers = new("resourcecontainers");

    private ResourceGraphQuery(string table) => Table = table;

    /// <summary>The Resource Graph table.</summary>
    public string Table { get; }

    /// <summary>The KQL text: <c>&lt;table&gt; | order by id asc</c>.</summary>
    public string Text => Table + " | order by id asc";

    /// <summary>Reads a query text back; null when it is not one the collector sends.</summary>
    public static ResourceGraphQuery? Parse(string text)
    {
        var parts = text.Split('|', StringSplitOptions.TrimEntries);
        if (parts.Length != 2) return null;
        var order = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (order is not ["order", "by", "id", "asc"] && order is not ["order", "by", "id"] && order is not ["sort", "by", "id", "asc"])
        {
            return null;
        }
        return parts[0].ToLowerInvariant() switch
        {
            "resources" => Resources,
            "resourcecontainers" => ResourceContainers,
            _ => null,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
