using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Simulator.Protocols;

/// <summary>Scalar conversions shared by the simulator's protocol writers and request parsers.</summary>
internal static class WireValues
{
    public static DateTimeOffset ToTimestamp(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<DateTimeOffset>(out var dto) => dto.ToUniversalTime(),
        JsonValue v when v.TryGetValue<DateTime>(out var dt) => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        JsonValue v when v.TryGetValue<double>(out var d) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(d * 1000)),
        JsonValue v when v.TryGetValue<long>(out var l) => DateTimeOffset.FromUnixTimeSeconds(l),
        JsonValue v when v.TryGetValue<string>(out var s) => ParseTimestamp(s),
        _ => throw new FormatException($"not a timestamp: {node.ToJsonString()}"),
    };

    public static DateTimeOffset ParseTimestamp(string s)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch))
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(epoch * 1000));
        return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    public static string FormatTimestamp(DateTimeOffset value, string format) => format switch
    {
        "unixTimestamp" => FormatEpoch(value),
        "rfc822" => value.UtcDateTime.ToString("r", CultureInfo.InvariantCulture),
        _ => value.UtcDateTime.ToString(value.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    public static string FormatEpoch(DateTimeOffset value)
    {
        var ms = value.ToUnixTimeMilliseconds();
        return ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture)
            : (ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
    }

    public static byte[] ToBlob(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<byte[]>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => Encoding.UTF8.GetBytes(s),
        _ => throw new FormatException($"not a blob: {node.ToJsonString()}"),
    };

    public static string ScalarText(JsonNode node, Member member, string defaultTimestampFormat)
    {
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Timestamp:
                return FormatTimestamp(ToTimestamp(node), member.TimestampFormat ?? defaultTimestampFormat);
            case ShapeType.Blob:
                return Convert.ToBase64String(ToBlob(node));
            case ShapeType.Boolean:
                return node.GetValueKind() == JsonValueKind.String
                    ? node.GetValue<string>().ToLowerInvariant()
                    : node.GetValue<bool>() ? "true" : "false";
            case ShapeType.Float or ShapeType.Double:
                if (node.GetValueKind() == JsonValueKind.String) return node.GetValue<string>();
                var d = node.GetValue<double>();
                return double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity"
                    : d.ToString("R", CultureInfo.InvariantCulture);
            default:
                return node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
        }
    }
}
