using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Native;

namespace CloudInventory.Server.Internal;

/// <summary>JSON as the API writes it: snake_case names, and DuckDB values (structs, lists, maps, timestamps, huge integers) as JSON values.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        return options;
    }

    /// <summary>A value read from DuckDB as a JSON node: maps and structs as objects, lists as arrays, times in ISO 8601 (UTC).</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null or DBNull => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        sbyte or byte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        float f => float.IsFinite(f) ? JsonValue.Create(f) : JsonValue.Create(f.ToString(CultureInfo.InvariantCulture)),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        decimal m => JsonValue.Create(m),
        BigInteger i => JsonValue.Create(i.ToString(CultureInfo.InvariantCulture)),
        DateTime t => JsonValue.Create(t.ToString(t.Kind == DateTimeKind.Local ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)),
        DateTimeOffset o => JsonValue.Create(o.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        TimeOnly t => JsonValue.Create(t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        TimeSpan t => JsonValue.Create(t.ToString("c", CultureInfo.InvariantCulture)),
        DuckDBInterval i => JsonValue.Create($"{i.Months} months {i.Days} days {i.Micros} us"),
        Guid g => JsonValue.Create(g.ToString()),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        Stream stream => JsonValue.Create(ReadBase64(stream)),
        IDictionary map => ToObject(map),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>The value as text for a CSV cell: scalars as text, nested values as JSON.</summary>
    public static string ToText(object? value) => value switch
    {
        null or DBNull => "",
        string s => s,
        IDictionary or IEnumerable and not string => ToNode(value)?.ToJsonString() ?? "",
        _ => ToNode(value) is JsonValue v && v.TryGetValue<string>(out var s) ? s : ToNode(value)?.ToJsonString() ?? "",
    };

    /// <summary>The value in a form that compares equal when the value is the same (object members sorted).</summary>
    public static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        _ => node.ToJsonString(),
    };

    private static JsonObject ToObject(IDictionary map)
    {
        var o = new JsonObject();
        foreach (DictionaryEntry e in map) o[Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? ""] = ToNode(e.Value);
        return o;
    }

    private static string ReadBase64(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Convert.ToBase64String(buffer.ToArray());
    }
}
