using System.Text.Json;

namespace CloudInventory.Azure.Internal;

/// <summary>
/// One page of a Resource Graph answer (<c>QueryResponse</c>, objectArray format). The rows are elements of the page's
/// own document, not copies: they are valid until the page is disposed, which frees the document (and, for a page read
/// by <see cref="AzureClient"/>, its answer and its place among the pages held at once).
/// </summary>
internal sealed class ResourceGraphPage : IDisposable
{
    private IDisposable? _owner;

    private ResourceGraphPage(IReadOnlyList<JsonElement> rows, string? skipToken, long totalRecords, long count, bool resultTruncated)
    {
        Rows = rows;
        SkipToken = skipToken;
        TotalRecords = totalRecords;
        Count = count;
        ResultTruncated = resultTruncated;
    }

    /// <summary>The rows (objects), valid until the page is disposed.</summary>
    public IReadOnlyList<JsonElement> Rows { get; }

    /// <summary>The token of the next page; null on the last.</summary>
    public string? SkipToken { get; }

    /// <summary>The rows of the whole listing, as the service counted them.</summary>
    public long TotalRecords { get; }

    /// <summary>The rows of this page, as the service counted them.</summary>
    public long Count { get; }

    /// <summary>Whether the service says the listing was cut short.</summary>
    public bool ResultTruncated { get; }

    /// <summary>Reads a <c>QueryResponse</c>; the rows stay elements of <paramref name="body"/>'s document.</summary>
    /// <exception cref="FormatException">The body is not a QueryResponse with an object array.</exception>
    public static ResourceGraphPage Read(JsonElement body) => Read(body, null);

    /// <summary>As <see cref="Read(JsonElement)"/>; the page disposes <paramref name="owner"/> (the document and what holds it) when it is disposed.</summary>
    /// <exception cref="FormatException">The body is not a QueryResponse with an object array (<paramref name="owner"/> is then the caller's to dispose).</exception>
    public static ResourceGraphPage Read(JsonElement body, IDisposable? owner)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new FormatException("the answer is not a JSON object");
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the answer has no 'data' array (resultFormat objectArray)");
        }
        var rows = new JsonElement[data.GetArrayLength()];
        var n = 0;
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Object) throw new FormatException("a row of 'data' is not an object");
            rows[n++] = row;
        }
        var skipToken = body.TryGetProperty("$skipToken", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } s ? s : null;
        var total = body.TryGetProperty("totalRecords", out var tr) && tr.TryGetInt64(out var tv) ? tv : rows.Length;
        var count = body.TryGetProperty("count", out var c) && c.TryGetInt64(out var cv) ? cv : rows.Length;
        if (count != rows.Length) throw new FormatException($"'count' says {count} rows but 'data' has {rows.Length}");
        var truncated = body.TryGetProperty("resultTruncated", out var rt) && rt.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => string.Equals(rt.GetString(), "true", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
        return new ResourceGraphPage(rows, skipToken, total, count, truncated) { _owner = owner };
    }

    public void Dispose()
    {
        var owner = Interlocked.Exchange(ref _owner, null);
        owner?.Dispose();
    }
}
