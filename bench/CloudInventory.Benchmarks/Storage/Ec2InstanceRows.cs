using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;

namespace CloudInventory.Benchmarks.Storage;

/// <summary>
/// EC2-instance-like rows for the <c>aws_ec2_instances</c> schema, shaped as the collector hands them
/// over: API member names as struct keys, two elements per list, tags as a map of eight entries,
/// timestamps as <see cref="DateTimeOffset"/> values. Distinct values per row.
/// </summary>
internal static class Ec2InstanceRows
{
    public static JsonNode?[] Row(IReadOnlyList<Column> columns, int seed)
    {
        var row = new JsonNode?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            row[i] = columns[i].Name switch
            {
                "instance_id" => JsonValue.Create($"i-{seed:x17}"),
                "tags" => Tags(seed),
                "account_id" => JsonValue.Create("123456789012"),
                "region" => JsonValue.Create("eu-west-1"),
                _ => Value(columns[i].Type, seed * 31 + i, 0),
            };
        }
        return row;
    }

    private static JsonObject Tags(int seed)
    {
        var tags = new JsonObject();
        foreach (var key in new[] { "Name", "env", "team", "cost-center", "app", "owner", "aws:cloudformation:stack-name", "backup" })
        {
            tags[key] = $"{key}-{seed % 97}";
        }
        return tags;
    }

    private static JsonNode? Value(ColumnType type, int seed, int depth) => type.Kind switch
    {
        ColumnKind.String => JsonValue.Create("value-" + seed.ToString(CultureInfo.InvariantCulture)),
        ColumnKind.Json => new JsonObject { ["k"] = seed },
        ColumnKind.Int32 => JsonValue.Create(seed % 1000),
        ColumnKind.Int64 => JsonValue.Create(seed * 1_000_003L),
        ColumnKind.Double => JsonValue.Create(seed / 4.0),
        ColumnKind.Bool => JsonValue.Create(seed % 2 == 0),
        ColumnKind.Timestamp => JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000L + seed)),
        ColumnKind.Binary => JsonValue.Create(new[] { (byte)seed, (byte)(seed >> 8) }),
        ColumnKind.Struct => Struct(type, seed, depth),
        ColumnKind.List => depth > 3 ? new JsonArray() : new JsonArray(Value(type.Element!, seed, depth + 1), Value(type.Element!, seed + 1, depth + 1)),
        ColumnKind.Map => new JsonObject { ["k" + seed.ToString(CultureInfo.InvariantCulture)] = Value(type.Value!, seed, depth + 1) },
        _ => null,
    };

    private static JsonObject Struct(ColumnType type, int seed, int depth)
    {
        var obj = new JsonObject();
        for (var i = 0; i < type.Fields.Count; i++) obj[type.Fields[i].SourceName] = Value(type.Fields[i].Type, seed + i, depth + 1);
        return obj;
    }
}
