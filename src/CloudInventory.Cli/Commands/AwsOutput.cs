using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Cli.Commands;

/// <summary>Merges pages like the AWS CLI does: result keys concatenated, tokens dropped, the rest from the first page.</summary>
internal static class AwsOutput
{
    /// <summary>
    /// Merges pages given as the AWS CLI JSON of each (<c>ValueTreeBuilder.ToAwsCliJson</c>: timestamps and
    /// blobs already rendered), so the merged result prints exactly as a single page would.
    /// </summary>
    public static JsonObject? Merge(Operation operation, IReadOnlyList<JsonObject?> roots)
    {
        if (roots.Count == 0 || roots[0] is null) return roots.FirstOrDefault(r => r is not null);
        if (operation.Paginator is not { IsPaged: true } paginator) return roots[0];
        var merged = roots[0]!.DeepClone().AsObject();
        foreach (var key in paginator.ResultKeys)
        {
            var path = key.Split('.');
            if (path.Any(p => p.Contains('[', StringComparison.Ordinal))) continue;
            for (var i = 1; i < roots.Count; i++)
            {
                if (Find(roots[i], path) is not JsonArray items) continue;
                var target = Find(merged, path) as JsonArray ?? Create(merged, path);
                foreach (var item in items) target.Add(item?.DeepClone());
            }
        }
        foreach (var token in paginator.OutputTokens.SelectMany(t => t.Split("||", StringSplitOptions.TrimEntries)).Append(paginator.MoreResults))
        {
            if (token is null || token.Contains('[', StringComparison.Ordinal)) continue;
            var path = token.Split('.');
            if (Find(merged, path[..^1]) is JsonObject parent) parent.Remove(path[^1]);
        }
        return merged;
    }

    /// <summary>Writes JSON as the AWS CLI does: four-space indents, non-ASCII text unescaped.</summary>
    public static string Render(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 4,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            node.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonNode? Find(JsonNode? node, string[] path)
    {
        foreach (var step in path) node = (node as JsonObject)?[step];
        return node;
    }

    private static JsonArray Create(JsonObject root, string[] path)
    {
        JsonObject obj = root;
        foreach (var step in path[..^1]) obj = (JsonObject)(obj[step] ??= new JsonObject());
        var array = new JsonArray();
        obj[path[^1]] = array;
        return array;
    }
}
