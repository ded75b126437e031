using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>
/// Reads the generic input tree leniently, the way a command line hands values over: numbers and
/// booleans may come as strings, timestamps as epoch seconds, ISO-8601 strings or DateTimeOffset
/// values, blobs as strings (their UTF-8 bytes) or byte arrays. Anything else is an error naming
/// the parameter path.
/// </summary>
internal static class InputValues
{
    public static JsonObject Structure(SerializationContext ctx, JsonNode node, string path) =>
        node as JsonObject ?? throw ctx.ParameterError(path, $"must be a structure (JSON object), not {Describe(node)}");

    public static JsonArray List(SerializationContext ctx, JsonNode node, string path) =>
        node as JsonArray ?? throw ctx.ParameterError(path, $"must be a list, not {Describe(node)}");

    public static JsonObject Map(SerializationContext ctx, JsonNode node, string path) =>
        node as JsonObject ?? throw ctx.ParameterError(path, $"must be a map (JSON object), not {Describe(node)}");

    public static string String(SerializationContext ctx, JsonNode node, string path)
    {
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.String:
                    return value.TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(value.ToJsonString()) ?? "";
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return value.ToJsonString();
            }
        }
        throw ctx.ParameterError(path, $"must be a string, not {Describe(node)}");
    }

    public static long Integer(SerializationContext ctx, JsonNode node, string path)
    {
        var text = NumberText(node);
        if (text is not null)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d)
                && d >= long.MinValue && d <= long.MaxValue)
            {
                return (long)d;
            }
        }
        throw ctx.ParameterError(path, $"must be an integer, not {Describe(node)}");
    }

    public static double Double(SerializationContext ctx, JsonNode node, string path)
    {
        var text = NumberText(node);
        if (text is not null)
        {
            switch (text)
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        }
        throw ctx.ParameterError(path, $"must be a number, not {Describe(node)}");
    }

    public static bool Boolean(SerializationContext ctx, JsonNode node, string path)
    {
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.String when value.TryGetValue<string>(out var s):
                    if (s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
                    if (s.Trim().Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
                    break;
            }
        }
        throw ctx.ParameterError(path, $"must be a boolean, not {Describe(node)}");
    }

    public static DateTimeOffset Timestamp(SerializationContext ctx, JsonNode node, string path)
    {
        if (node is JsonValue value)
        {
            var kind = value.GetValueKind();
            if (kind == JsonValueKind.Number && FromEpoch(value.ToJsonString()) is { } fromNumber) return fromNumber;
            if (kind == JsonValueKind.String)
            {
                if (value.TryGetValue<string>(out var s))
                {
                    var text = s.Trim();
                    if (FromEpoch(text) is { } fromEpoch) return fromEpoch;
                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                    {
                        return parsed.ToUniversalTime();
                    }
                }
                else if (value.TryGetValue<DateTimeOffset>(out var dto))
                {
                    return dto.ToUniversalTime();
                }
                else if (value.TryGetValue<DateTime>(out var dt))
                {
                    return new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime());
                }
            }
        }
        throw ctx.ParameterError(path, $"must be a timestamp (epoch seconds or ISO-8601), not {Describe(node)}");
    }

    public static byte[] Blob(SerializationContext ctx, JsonNode node, string path)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<string>(out var s)) return Encoding.UTF8.GetBytes(s);
            if (value.TryGetValue<byte[]>(out var bytes)) return bytes;
            if (value.TryGetValue<ReadOnlyMemory<byte>>(out var memory)) return memory.ToArray();
        }
        throw ctx.ParameterError(path, $"must be a blob (string or bytes), not {Describe(node)}");
    }

    /// <summary>The text of a number given as a JSON number or a string; null for anything else.</summary>
    private static string? NumberText(JsonNode node)
    {
        if (node is not JsonValue value) return null;
        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String when value.TryGetValue<string>(out var s) => s.Trim(),
            _ => null,
        };
    }

    private static DateTimeOffset? FromEpoch(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) return null;
        var ticks = seconds * TimeSpan.TicksPerSecond;
        var min = -DateTimeOffset.UnixEpoch.Ticks;
        var max = DateTimeOffset.MaxValue.Ticks - DateTimeOffset.UnixEpoch.Ticks;
        if (ticks < min || ticks > max) return null;
        return DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(ticks));
    }

    /// <summary>A short description of what was given instead, for messages.</summary>
    public static string Describe(JsonNode node) => node switch
    {
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => Shorten(v.ToJsonString()),
        _ => "a value",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
