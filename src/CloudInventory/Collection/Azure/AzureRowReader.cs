using System.Text.Json;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Azure.Models;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Collection.Azure;

/// <summary>
/// Writes Resource Graph rows of one Azure table straight into the table's column builders, read from the page's own
/// document (no copy of the row, no tree per row): the envelope members as they are, the members of <c>properties</c>
/// the type's model names into their own columns, the rest of <c>properties</c> into <c>properties_extra</c> (or, for
/// tables without a type, all of it into <c>properties</c>). Values reach the builders as events through the same
/// <see cref="ColumnValueWriter"/> the AWS row reader uses. Members the model marks write-only or sensitive are left out
/// wherever the model reaches, and members whose name says they carry secrets or code
/// (<see cref="AzureTableFactory.IsSecretBearing"/>) wherever they are, so a secret Azure should never return is never
/// stored. A value that does not fit its column is a null, reported as a malformed value (a warning), as on AWS.
/// One reader per unit and table: it keeps the state of the row being written.
/// </summary>
internal sealed class AzureRowReader
{
    // The writer's events carry a model shape and member; Azure's values have none, and the reader filters secrets itself.
    private static readonly Shape s_value = new(null, ShapeType.Structure);

    // What a nested row takes from the Resource Graph row it is nested in.
    private static readonly string[] s_inherited = ["tenantId", "subscriptionId", "resourceGroup", "location"];

    private readonly TableRowBuffer _rows;
    private readonly ColumnType[] _types;
    private readonly string[] _paths;
    private readonly Dictionary<string, int> _envelope = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Index, AzureShape Shape)> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unstored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Member> _memberEvents = new(StringComparer.Ordinal);
    private readonly int _properties = -1;
    private readonly int _extra = -1;
    private readonly int _account;
    private readonly int _region;
    private readonly int _reportTime;
    private readonly AzureModelBundle _models;
    private readonly AzureShape? _shape;
    private readonly ColumnValueWriter _writer = new();
    private readonly ColumnValueWriter _extraWriter = new();
    private readonly bool[] _set;

    public AzureRowReader(Table table, AzureModelBundle models, TableRowBuffer rows)
    {
        Table = table;
        _models = models;
        _rows = rows;
        _types = table.Columns.Select(c => c.Type).ToArray();
        _paths = table.Columns.Select(c => c.SourcePath ?? c.Name).ToArray();
        _set = new bool[table.Columns.Count];
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

    /// <summary>The table the rows are for.</summary>
    public Table Table { get; }

    /// <summary>
    /// Writes one row into the buffer (counted in its rows once every column is written).
    /// <paramref name="onMalformed"/> hears of each value that did not fit its column (stored as null).
    /// </summary>
    public void Write(JsonElement row, string subscriptionId, DateTimeOffset reportTime, Action<MalformedValue>? onMalformed) =>
        Write(row, default, subscriptionId, reportTime, onMalformed);

    /// <summary>
    /// Writes one row of a nested child type (a subnet in its virtual network's <c>properties.subnets</c>): the item's
    /// own id, name and properties; its type as Resource Graph would write it (the table's type, lower case); the
    /// tenant, subscription, resource group and location of <paramref name="parent"/>, the Resource Graph row it is in.
    /// </summary>
    public void WriteNested(JsonElement item, JsonElement parent, string subscriptionId, DateTimeOffset reportTime, Action<MalformedValue>? onMalformed) =>
        Write(item, parent, subscriptionId, reportTime, onMalformed);

    private void Write(JsonElement row, JsonElement parent, string subscriptionId, DateTimeOffset reportTime, Action<MalformedValue>? onMalformed)
    {
        Array.Clear(_set);
        JsonElement properties = default;
        var nested = parent.ValueKind == JsonValueKind.Object;
        if (nested)
        {
            var type = _envelope["type"];
            _rows.Builder(type).AppendString(Table.Azure!.ResourceType!.ToLowerInvariant());
            _set[type] = true;
        }
        foreach (var member in row.EnumerateObject())
        {
            if (member.NameEquals("properties"))
            {
                properties = member.Value;
                continue;
            }
            if (_envelope.TryGetValue(member.Name, out var i)) WriteColumn(i, member.Value, null, onMalformed);
        }
        if (nested)
        {
            foreach (var inherited in s_inherited)
            {
                if (parent.TryGetProperty(inherited, out var value) && !_set[_envelope[inherited]]) WriteColumn(_envelope[inherited], value, null, onMalformed);
            }
            // An item without its own id (never in Azure's answers, but the key must not be null): the parent's id and the item's name.
            var id = _envelope["id"];
            if (!_set[id] && parent.TryGetProperty("id", out var parentId) && parentId.ValueKind == JsonValueKind.String
                && row.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                _rows.Builder(id).AppendString($"{parentId.GetString()}/{Table.Azure!.NestedMember}/{name.GetString()}");
                _set[id] = true;
            }
        }
        if (properties.ValueKind == JsonValueKind.Object)
        {
            if (_properties >= 0)
            {
                // The catch-all: all of properties, scrubbed by the row's own type model when there is one.
                var type = row.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                WriteColumn(_properties, properties, type is null ? null : _models.Find(type)?.Properties, onMalformed);
            }
            else
            {
                WriteProperties(properties, onMalformed);
            }
        }
        for (var i = 0; i < _set.Length; i++)
        {
            if (!_set[i] && i != _account && i != _region && i != _reportTime) _rows.Builder(i).AppendNull();
        }
        _rows.Builder(_account).AppendString(subscriptionId);
        _rows.Builder(_region).AppendString("global");
        _rows.Builder(_reportTime).AppendTimestamp(reportTime);
        _rows.CompleteRows(1);
    }

    // A typed table: the modelled members into their columns, the others (stored ones) into properties_extra as one object.
    private void WriteProperties(JsonElement properties, Action<MalformedValue>? onMalformed)
    {
        var extraOpen = false;
        foreach (var member in properties.EnumerateObject())
        {
            var name = member.Name;
            if (_members.TryGetValue(name, out var column))
            {
                WriteColumn(column.Index, member.Value, column.Shape, onMalformed);
                continue;
            }
            if (_unstored.Contains(name) || AzureTableFactory.IsSecretBearing(name)) continue;
            if (!extraOpen)
            {
                _extraWriter.Begin(_rows.Builder(_extra), ColumnConversion.None);
                _extraWriter.StartStructure(s_value);
                extraOpen = true;
            }
            var modelled = _shape is null ? null : _shape.Members.TryGetValue(name, out var m) ? m.Shape : _shape.Additional;
            _extraWriter.Member(Event(name));
            Emit(_extraWriter, member.Value, null, modelled);
        }
        if (extraOpen)
        {
            _extraWriter.EndStructure(s_value);
            _set[_extra] = true;
        }
    }

    private void WriteColumn(int column, JsonElement value, AzureShape? shape, Action<MalformedValue>? onMalformed)
    {
        if (_set[column]) return; // a member given twice keeps its first value
        _set[column] = true;
        var rejected = _rows.RejectedValuesOf(column);
        _writer.Begin(_rows.Builder(column), ColumnConversion.None);
        Emit(_writer, value, _types[column], shape);
        if (onMalformed is not null && _rows.RejectedValuesOf(column) != rejected)
        {
            onMalformed(new MalformedValue(_paths[column], _types[column].Kind.ToString().ToLowerInvariant(), MalformedValue.Cut(value.GetRawText())));
        }
    }

    /// <summary>
    /// Gives a JSON value to the writer as events: objects as structures (or maps, for a map column), arrays as lists,
    /// numbers as integers when they are whole. Members the model <paramref name="shape"/> marks write-only or sensitive,
    /// and secret-bearing names at any depth, are left out.
    /// </summary>
    private void Emit(ColumnValueWriter writer, JsonElement value, ColumnType? type, AzureShape? shape)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var map = type is { Kind: ColumnKind.Map };
                if (map) writer.StartMap(s_value);
                else writer.StartStructure(s_value);
                foreach (var member in value.EnumerateObject())
                {
                    var name = member.Name;
                    if (AzureTableFactory.IsSecretBearing(name)) continue;
                    AzureShape? memberShape = null;
                    if (shape is { Kind: AzureShapeKind.Object })
                    {
                        if (shape.Members.TryGetValue(name, out var modelled))
                        {
                            if (!AzureTableFactory.IsStored(modelled)) continue;
                            memberShape = modelled.Shape;
                        }
                        else
                        {
                            memberShape = shape.Additional;
                        }
                    }
                    if (map)
                    {
                        writer.MapKey(name);
                        Emit(writer, member.Value, type!.Value, memberShape);
                    }
                    else
                    {
                        writer.Member(Event(name));
                        Emit(writer, member.Value, FieldType(type, name), memberShape);
                    }
                }
                if (map) writer.EndMap(s_value);
                else writer.EndStructure(s_value);
                return;
            case JsonValueKind.Array:
                writer.StartList(s_value);
                var item = shape is { Kind: AzureShapeKind.Array } ? shape.Item : null;
                var element = type is { Kind: ColumnKind.List } ? type.Element : null;
                foreach (var v in value.EnumerateArray()) Emit(writer, v, element, item);
                writer.EndList(s_value);
                return;
            case JsonValueKind.String:
                writer.String(value.GetString()!);
                return;
            case JsonValueKind.Number:
                if (value.TryGetInt64(out var whole)) writer.Integer(whole);
                else if (value.TryGetDouble(out var number)) writer.Double(number);
                else writer.String(value.GetRawText());
                return;
            case JsonValueKind.True:
                writer.Boolean(true);
                return;
            case JsonValueKind.False:
                writer.Boolean(false);
                return;
            default:
                writer.Null();
                return;
        }
    }

    // The type of a structure's field named by its source member; null when it is not a structure or has no such field.
    private static ColumnType? FieldType(ColumnType? type, string member)
    {
        if (type is not { Kind: ColumnKind.Struct }) return null;
        foreach (var field in type.Fields)
        {
            if (field.SourceName == member) return field.Type;
        }
        return null;
    }

    private Member Event(string name)
    {
        if (!_memberEvents.TryGetValue(name, out var member)) _memberEvents[name] = member = new Member(name, s_value);
        return member;
    }
}
