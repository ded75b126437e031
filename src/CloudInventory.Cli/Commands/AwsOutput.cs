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

    /// <summary>
    /// The result as the AWS CLI prints it: the JMESPath <paramref name="query"/> applied (when given), then as
    /// <c>json</c> (four-space indents), <c>text</c> (tab-separated values, one line per object or list of scalars)
    /// or <c>table</c> (aligned columns).
    /// </summary>
    public static string Format(string json, string? query, string output)
    {
        var node = JsonNode.Parse(json);
        if (query is not null)
        {
            node = JsonNode.Parse(new DevLab.JmesPath.JmesPath().Transform(json, query));
        }
        switch (output)
        {
            case "text":
                var lines = new List<string>();
                Text(node, lines);
                return string.Join(Environment.NewLine, lines);
            case "table":
                var writer = new StringWriter();
                Table(node, writer);
                return writer.ToString().TrimEnd();
            default:
                return node is null ? "null" : Render(node);
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "None",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
        _ => node.ToJsonString(),
    };

    private static void Text(JsonNode? node, List<string> lines)
    {
        switch (node)
        {
            case JsonArray array when array.All(i => i is not JsonObject and not JsonArray):
                if (array.Count > 0) lines.Add(string.Join('\t', array.Select(Scalar)));
                break;
            case JsonArray array:
                foreach (var item in array) Text(item, lines);
                break;
            case JsonObject obj:
                var scalars = obj.Where(p => p.Value is not JsonObject and not JsonArray).OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
                if (scalars.Length > 0) lines.Add(string.Join('\t', scalars.Select(p => Scalar(p.Value))));
                foreach (var (_, value) in obj.Where(p => p.Value is JsonObject or JsonArray).OrderBy(p => p.Key, StringComparer.Ordinal)) Text(value, lines);
                break;
            default:
                lines.Add(Scalar(node));
                break;
        }
    }

    private static void Table(JsonNode? node, TextWriter output)
    {
        // A list of objects is a table with a column per key; an object is a table of its scalar members, then its lists.
        switch (node)
        {
            case JsonArray array when array.Count > 0 && array.All(i => i is JsonObject):
                var columns = array.SelectMany(i => i!.AsObject().Where(p => p.Value is not JsonObject and not JsonArray).Select(p => p.Key)).Distinct(StringComparer.Ordinal).ToArray();
                QueryResultWriter.WriteTable(columns, array.Select(i => columns.Select(c => (object?)(i!.AsObject()[c] is { } v ? Scalar(v) : null)).ToArray()).ToArray(), output, terminal: false);
                break;
            case JsonArray array:
                QueryResultWriter.WriteTable(["value"], array.Select(i => new object?[] { i is JsonObject or JsonArray ? i.ToJsonString() : Scalar(i) }).ToArray(), output, terminal: false);
                break;
            case JsonObject obj:
                var scalars = obj.Where(p => p.Value is not JsonObject and not JsonArray).ToArray();
                if (scalars.Length > 0) QueryResultWriter.WriteTable(["key", "value"], scalars.Select(p => new object?[] { p.Key, Scalar(p.Value) }).ToArray(), output, terminal: false);
                foreach (var (key, value) in obj.Where(p => p.Value is JsonObject or JsonArray))
                {
                    output.WriteLine(key);
                    Table(value, output);
                }
                break;
            default:
                output.WriteLine(Scalar(node));
                break;
        }
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
