using System.Text.Json;

namespace CloudInventory.Azure.Internal;

/// <summary>One page of a Resource Graph answer (<c>QueryResponse</c>, objectArray format).</summary>
internal sealed record ResourceGraphPage(IReadOnlyList<JsonElement> Rows, string? SkipToken, long TotalRecords, long Count, bool ResultTruncated)
{
    /// <summary>Reads a <c>QueryResponse</c>; rows are cloned, so they outlive the document.</summary>
    /// <exception cref="FormatException">The body is not a QueryResponse with an object array.</exception>
    public static ResourceGraphPage Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new FormatException("the answer is not a JSON object");
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the answer has no 'data' array (resultFormat objectArray)");
        }
        var rows = new List<JsonElement>(data.GetArrayLength());
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Object) throw new FormatException("a row of 'data' is not an object");
            rows.Add(row.Clone());
        }
        var skipToken = body.TryGetProperty("$skipToken", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } s ? s : null;
        var total = body.TryGetProperty("totalRecords", out var tr) && tr.TryGetInt64(out var tv) ? tv : rows.Count;
        var count = body.TryGetProperty("count", out var c) && c.TryGetInt64(out var cv) ? cv : rows.Count;
        if (count != rows.Count) throw new FormatException($"'count' says {count} rows but 'data' has {rows.Count}");
        var truncated = body.TryGetProperty("resultTruncated", out var rt) && rt.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => string.Equals(rt.GetString(), "true", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
        return new ResourceGraphPage(rows, skipToken, total, count, truncated);
    }
}
