using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// Builds an operation's input from <c>--param</c> values: <c>Name=value</c>, dotted and indexed
/// paths (<c>Filters.0.Name=instance-state-name</c>, <c>Filters.0.Values.0=running</c>), and
/// <c>Name=&lt;json&gt;</c> when the value starts with <c>[</c> or <c>{</c>. Scalars stay strings:
/// the serializer converts them to the member's type.
/// </summary>
internal static class AwsParameters
{
    /// <summary>Parses the parameters; throws <see cref="FormatException"/> with a one-line message on bad input.</summary>
    public static JsonObject? Parse(IReadOnlyList<string> parameters)
    {
        if (parameters.Count == 0) return null;
        var root = new JsonObject();
        foreach (var parameter in parameters)
        {
            var eq = parameter.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new FormatException($"--param '{parameter}' must look like Name=value");
            var path = parameter[..eq].Trim();
            var text = parameter[(eq + 1)..];
            JsonNode? value;
            if (text.TrimStart() is ['[' or '{', ..])
            {
                try
                {
                    value = JsonNode.Parse(text);
                }
                catch (JsonException e)
                {
                    throw new FormatException($"--param '{path}': invalid JSON ({e.Message.Split('.')[0]})");
                }
            }
            else
            {
                value = JsonValue.Create(text);
            }
            Set(root, path, value);
        }
        return root;
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var segments = path.Split('.');
        if (segments.Any(s => s.Length == 0)) throw new FormatException($"--param '{path}': empty path segment");
        JsonNode container = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            var nextIsIndex = !last && IsIndex(segments[i + 1]);
            switch (container)
            {
                case JsonObject obj:
                    if (IsIndex(segments[i])) throw new FormatException($"--param '{path}': '{segments[i]}' indexes a structure");
                    if (last)
                    {
                        if (obj.ContainsKey(segments[i])) throw new FormatException($"--param '{path}' is given twice");
                        obj[segments[i]] = value;
                        return;
                    }
                    container = obj[segments[i]] ??= nextIsIndex ? new JsonArray() : new JsonObject();
                    break;
                case JsonArray array:
                    if (!IsIndex(segments[i])) throw new FormatException($"--param '{path}': '{segments[i]}' must be a list index");
                    var index = int.Parse(segments[i], CultureInfo.InvariantCulture);
                    if (index > array.Count) throw new FormatException($"--param '{path}': index {index} skips index {array.Count}");
                    if (index == array.Count)
                    {
                        array.Add(last ? value : nextIsIndex ? new JsonArray() : new JsonObject());
                        if (last) return;
                    }
                    else if (last)
                    {
                        throw new FormatException($"--param '{path}' is given twice");
                    }
                    container = array[index] ?? throw new FormatException($"--param '{path}': index {index} is null");
                    break;
                default:
                    throw new FormatException($"--param '{path}': '{segments[i - 1]}' already has a value");
            }
        }
    }

    private static bool IsIndex(string segment) => segment.Length is > 0 and < 7 && segment.All(char.IsAsciiDigit);
}
