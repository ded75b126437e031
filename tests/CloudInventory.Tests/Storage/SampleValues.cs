using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;

namespace CloudInventory.Tests.Storage;

/// <summary>Deterministic values of any column type, shaped as the collector hands them over (struct keys are API member names).</summary>
internal static class SampleValues
{
    public static JsonNode?[] Row(IReadOnlyList<Column> columns, int seed) =>
        columns.Select((c, i) => For(c.Type, seed * 31 + i)).ToArray();

    public static JsonNode? For(ColumnType type, int seed, int depth = 0) => type.Kind switch
    {
        ColumnKind.String => JsonValue.Create($"v{seed}"),
        ColumnKind.Json => new JsonObject { ["k"] = seed },
        ColumnKind.Int32 => JsonValue.Create(seed % 1000),
        ColumnKind.Int64 => JsonValue.Create(seed * 1_000_003L),
        ColumnKind.Double => JsonValue.Create(seed / 4.0),
        ColumnKind.Bool => JsonValue.Create(seed % 2 == 0),
        ColumnKind.Timestamp => JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000L + seed)),
        ColumnKind.Binary => JsonValue.Create(new[] { (byte)seed, (byte)(seed >> 8) }),
        ColumnKind.Struct => Struct(type, seed, depth),
        ColumnKind.List => depth > 4 ? new JsonArray() : new JsonArray(For(type.Element!, seed, depth + 1), For(type.Element!, seed + 1, depth + 1)),
        ColumnKind.Map => depth > 4 ? new JsonObject() : new JsonObject
        {
            [Key(type.Key!, seed)] = For(type.Value!, seed, depth + 1),
            [Key(type.Key!, seed + 1)] = For(type.Value!, seed + 1, depth + 1),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static JsonObject Struct(ColumnType type, int seed, int depth)
    {
        var obj = new JsonObject();
        for (var i = 0; i < type.Fields.Count; i++) obj[type.Fields[i].SourceName] = For(type.Fields[i].Type, seed + i, depth + 1);
        return obj;
    }

    private static string Key(ColumnType key, int seed) => key.Kind switch
    {
        ColumnKind.Int32 or ColumnKind.Int64 => (seed % 1000).ToString(CultureInfo.InvariantCulture),
        ColumnKind.Bool => seed % 2 == 0 ? "true" : "false",
        _ => $"k{seed}",
    };
}
