namespace CloudInventory.Azure;

/// <summary>
/// The one home of the KQL the collector sends to Resource Graph: a whole table (<c>resources</c>,
/// <c>resourcecontainers</c>), or one resource type of a table (<c>authorizationresources | where type =~ '…'</c>),
/// ordered by id, so that skip tokens page a stable order.
/// </summary>
public sealed class ResourceGraphQuery
{
    /// <summary>The Resource Graph tables a query may read.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["resources", "resourcecontainers", "authorizationresources", "policyresources"];

    /// <summary>Every resource.</summary>
    public static readonly ResourceGraphQuery Resources = new("resources", null);

    /// <summary>Subscriptions and resource groups (and management groups).</summary>
    public static readonly ResourceGraphQuery ResourceContainers = new("resourcecontainers", null);

    private ResourceGraphQuery(string table, string? type)
    {
        Table = table;
        Type = type;
    }

    /// <summary>The Resource Graph table.</summary>
    public string Table { get; }

    /// <summary>The resource type the rows are narrowed to (lower case), or null for every row of the table.</summary>
    public string? Type { get; }

    /// <summary>The KQL text: <c>&lt;table&gt; | order by id asc</c>, or <c>&lt;table&gt; | where type =~ '&lt;type&gt;' | order by id asc</c>.</summary>
    public string Text => Type is null ? Table + " | order by id asc" : $"{Table} | where type =~ '{Type}' | order by id asc";

    /// <summary>The rows of one resource type in a Resource Graph table (e.g. role assignments in <c>authorizationresources</c>).</summary>
    /// <exception cref="ArgumentException">The table is not one of <see cref="Tables"/>, or the type is not a resource type.</exception>
    public static ResourceGraphQuery OfType(string table, string type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (!Tables.Contains(table.ToLowerInvariant())) throw new ArgumentException($"'{table}' is not a Resource Graph table the collector reads", nameof(table));
        if (!IsResourceType(type)) throw new ArgumentException($"'{type}' is not a resource type", nameof(type));
        return new ResourceGraphQuery(table.ToLowerInvariant(), type.ToLowerInvariant());
    }

    /// <summary>Reads a query text back; null when it is not one the collector sends.</summary>
    public static ResourceGraphQuery? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('|', StringSplitOptions.TrimEntries);
        if (parts.Length is not (2 or 3)) return null;
        var order = parts[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (order is not ["order", "by", "id", "asc"] && order is not ["order", "by", "id"] && order is not ["sort", "by", "id", "asc"])
        {
            return null;
        }
        var table = parts[0].ToLowerInvariant();
        if (!Tables.Contains(table)) return null;
        if (parts.Length == 2) return table switch
        {
            "resources" => Resources,
            "resourcecontainers" => ResourceContainers,
            _ => new ResourceGraphQuery(table, null),
        };
        // where type =~ '<type>' (or ==, with the type in lower case as Resource Graph writes it)
        var where = parts[1].Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        if (where is not ["where", "type", "=~" or "==", var literal] || literal.Length < 3 || literal[0] != '\'' || literal[^1] != '\'') return null;
        var type = literal[1..^1];
        if (!IsResourceType(type) || (where[2] == "==" && type != type.ToLowerInvariant())) return null;
        return new ResourceGraphQuery(table, type.ToLowerInvariant());
    }

    private static bool IsResourceType(string type) =>
        type.Contains('/', StringComparison.Ordinal) && type.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '-' or '_');

    /// <inheritdoc />
    public override string ToString() => Text;
}
