using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Azure.Models;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;

namespace CloudInventory.Collection.Azure;

/// <summary>
/// Turns Resource Graph rows into the values of one Azure table's columns: the envelope members as they are, the
/// members of <c>properties</c> the type's model names into their own columns, the rest of <c>properties</c> into
/// <c>properties_extra</c> (or, for tables without a type, all of it into <c>properties</c>). Members the model marks
/// write-only or sensitive are removed wherever the model reaches, and members whose name says they carry secrets or code
/// (<see cref="AzureTableFactory.IsSecretBearing"/>) wherever they are, so a secret Azure should never return is never stored.
/// </summary>
internal sealed class AzureRowReader
{
    private readonly Table _table;
    private readonly int _width;
    private readonly Dictionary<string, int> _envelope = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Index, AzureShape Shape)> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unstored = new(StringComparer.Ordinal);
    private readonly int _properties = -1;
    private readonly int _extra = -1;
    private readonly int _account;
    private readonly int _region;
    private readonly int _reportTime;
    private readonly AzureModelBundle _models;
    private readonly AzureShape? _shape;

    public AzureRowReader(Table table, AzureModelBundle models)
    {
        _table = table;
        _models = models;
        _width = table.Columns.Count;
        var index = table.Columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        foreach (var (member, column) in AzureTableFactory.Envelope) _envelope[member] = index[column.Name];
        _account = index["account_id"];
        _region = index["region"];
        _reportTime = index["report_time"];
        if (index.TryGetValue("properties_extra", out var extra)) _extra = extra;
        else _properties = index["properties"];
        if (table.Azure?.ResourceType is { } type && models.Find(type)?.Properties is { Kind: AzureShapeKind.Object } shape)
        {
            _shape = shape;
            foreach (var column in table.Columns.Where(c => c.Origin == ColumnOrigin.Api && c.SourcePath?.StartsWith("properties.", StringComparison.Ordinal) == true))
            {
                var member = column.SourcePath!["properties.".Length..];
                _members[member] = (index[column.Name], shape.Members[member].Shape);
            }
            foreach (var member in shape.Members.Values.Where(m => !AzureTableFactory.IsStored(m))) _unstored.Add(member.Name);
        }
    }

    /// <summary>The values of one row, in column order.</summary>
    public JsonNode?[] Read(JsonElement row, string subscriptionId, DateTimeOffset reportTime)
    {
        var values = new JsonNode?[_width];
        JsonElement properties = default;
        foreach (var member in row.EnumerateObject())
        {
            if (member.NameEquals("properties"))
            {
                properties = member.Value;
                continue;
            }
            if (_envelope.TryGetValue(member.Name, out var i)) values[i] = Copy(member.Value, null);
        }
        values[_account] = subscriptionId;
        values[_region] = "global";
        values[_reportTime] = JsonValue.Create(reportTime);
        if (properties.ValueKind == JsonValueKind.Object)
        {
            if (_properties >= 0)
            {
                // The catch-all: all of properties, scrubbed by the row's own type model when there is one.
                var type = row.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                values[_properties] = Copy(properties, type is null ? null : _models.Find(type)?.Properties);
            }
            else
            {
                JsonObject? extra = null;
                foreach (var member in properties.EnumerateObject())
                {
                    if (_members.TryGetValue(member.Name, out var column)) values[column.Index] = Copy(member.Value, column.Shape);
                    else if (!_unstored.Contains(member.Name) && !AzureTableFactory.IsSecretBearing(member.Name))
                    {
                        var modelled = _shape is null ? null : _shape.Members.TryGetValue(member.Name, out var m) ? m.Shape : _shape.Additional;
                        (extra ??= [])[member.Name] = Copy(member.Value, modelled);
                    }
                }
                values[_extra] = extra;
            }
        }
        return values;
    }

    /// <summary>The table the rows are for.</summary>
    public Table Table => _table;

    /// <summary>A JSON value as a node, with the members <paramref name="shape"/> marks write-only or sensitive removed (at every depth it models).</summary>
    internal static JsonNode? Copy(JsonElement value, AzureShape? shape)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var member in value.EnumerateObject())
                {
                    if (AzureTableFactory.IsSecretBearing(member.Name)) continue;
                    AzureShape? memberShape = null;
                    if (shape is { Kind: AzureShapeKind.Object })
                    {
                        if (shape.Members.TryGetValue(member.Name, out var modelled))
                        {
                            if (!AzureTableFactory.IsStored(modelled)) continue;
                            memberShape = modelled.Shape;
                        }
                        else
                        {
                            memberShape = shape.Additional;
                        }
                    }
                    obj[member.Name] = Copy(member.Value, memberShape);
                }
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in value.EnumerateArray()) array.Add(Copy(item, shape is { Kind: AzureShapeKind.Array } ? shape.Item : null));
                return array;
            case JsonValueKind.String:
                return JsonValue.Create(value.GetString());
            case JsonValueKind.Number:
                return value.TryGetInt64(out var whole) ? JsonValue.Create(whole) : JsonValue.Create(value.GetDouble());
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }
}
