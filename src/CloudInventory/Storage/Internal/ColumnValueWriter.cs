using System.Net;
using System.Text.Json;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// Writes one value, given as a protocol reader's events, straight into a column's builder: scalars as typed
/// appends, structures, lists and maps into the nested builders, JSON columns as JSON text written event by event,
/// tag lists as maps. Nothing of the value is held as a tree. Members that have no field are skipped (secret-bearing
/// members have none; in JSON text they are left out too). A malformed scalar is a null; a value whose kind does not
/// fit the column is a null, counted as rejected. <see cref="Begin"/> aims it at a column; <see cref="Done"/> tells
/// when the value has ended.
/// </summary>
internal sealed class ColumnValueWriter : IShapeVisitor
{
    private enum Mode : byte
    {
        Struct,
        List,
        Map,
        Json,
        Skip,
        Tags,
        Tag,
    }

    private struct Frame
    {
        public Mode Mode;
        public ColumnBuilder? Builder;
        public int Depth; // Json and Skip: containers open inside the frame
    }

    private Frame[] _frames = new Frame[16];
    private int _count;
    private ColumnBuilder? _next;
    private ColumnConversion _conversion;
    private bool _skipNext; // JSON text: the next value is a secret-bearing member's
    private Utf8JsonWriter? _json;
    private readonly List<(string Key, string? Value)> _tags = [];
    private int _tagField; // 1: the key is next, 2: the value
    private string? _tagKey;
    private string? _tagValue;

    /// <summary>True once the value aimed at by <see cref="Begin"/> has ended.</summary>
    public bool Done { get; private set; } = true;

    /// <summary>Aims the next value at <paramref name="column"/>, converted as the column says.</summary>
    public void Begin(ColumnBuilder column, ColumnConversion conversion)
    {
        _count = 0;
        _next = column;
        _conversion = conversion;
        _skipNext = false;
        Done = false;
    }

    /// <summary>Aims the next value nowhere: it is read and dropped.</summary>
    public void BeginSkip()
    {
        _count = 0;
        _next = null;
        _conversion = ColumnConversion.None;
        Done = false;
    }

    public void StartStructure(Shape shape)
    {
        if (_count > 0 && _frames[_count - 1].Mode == Mode.Tags)
        {
            _tagKey = null;
            _tagValue = null;
            _tagField = 0;
            Push(Mode.Tag, null, 0);
            return;
        }
        if (OpenInside(isArray: false)) return;
        var column = Take();
        if (column is null) { Push(Mode.Skip, null, 1); return; }
        if (column is JsonColumnBuilder json) { StartJson(json, isArray: false); return; }
        if (column is StructColumnBuilder s)
        {
            s.BeginValue();
            Push(Mode.Struct, s, 0);
            return;
        }
        column.Reject();
        Push(Mode.Skip, null, 1);
    }

    public void Member(Member member)
    {
        if (_count == 0) return;
        ref var top = ref _frames[_count - 1];
        switch (top.Mode)
        {
            case Mode.Json:
                if (SchemaDeriver.IsSecret(member)) _skipNext = true;
                else _json!.WritePropertyName(member.Name);
                return;
            case Mode.Struct:
                var field = ((StructColumnBuilder)top.Builder!).Field(member.Name, out var again);
                _next = field is null ? null : again ? Reopened(field) : field;
                return;
            case Mode.Tag:
                _tagField = IsTagField(member.Name, "Key") ? 1 : IsTagField(member.Name, "Value") ? 2 : 0;
                return;
        }
    }

    public void EndStructure(Shape shape) => Close();

    public void StartList(Shape shape)
    {
        if (OpenInside(isArray: true)) return;
        var conversion = _count == 0 ? _conversion : ColumnConversion.None;
        var column = Take();
        if (column is null) { Push(Mode.Skip, null, 1); return; }
        if (column is JsonColumnBuilder json) { StartJson(json, isArray: true); return; }
        if (conversion == ColumnConversion.TagListToMap && column is MapColumnBuilder tags)
        {
            _tags.Clear();
            Push(Mode.Tags, tags, 0);
            return;
        }
        if (column is ListColumnBuilder list)
        {
            Push(Mode.List, list, 0);
            return;
        }
        column.Reject();
        Push(Mode.Skip, null, 1);
    }

    public void EndList(Shape shape) => Close();

    public void StartMap(Shape shape)
    {
        if (OpenInside(isArray: false)) return;
        var column = Take();
        if (column is null) { Push(Mode.Skip, null, 1); return; }
        if (column is JsonColumnBuilder json) { StartJson(json, isArray: false); return; }
        if (column is MapColumnBuilder map)
        {
            Push(Mode.Map, map, 0);
            return;
        }
        column.Reject();
        Push(Mode.Skip, null, 1);
    }

    public void MapKey(string key)
    {
        if (_count == 0) return;
        ref var top = ref _frames[_count - 1];
        if (top.Mode == Mode.Json) _json!.WritePropertyName(key);
        else if (top.Mode == Mode.Map)
        {
            var map = (MapColumnBuilder)top.Builder!;
            if (map.Keys.TryAppendKey(key)) _next = map.Values;
            else
            {
                map.CountRejection();
                _next = null;
            }
        }
    }

    public void EndMap(Shape shape) => Close();

    public void String(string value)
    {
        if (Json(out var json))
        {
            if (json is not null) json.WriteStringValue(value);
            return;
        }
        if (Tag(value)) return;
        var conversion = _count == 0 ? _conversion : ColumnConversion.None;
        var column = Take();
        if (column is null) { Scalar(); return; }
        if (column is JsonColumnBuilder jsonColumn)
        {
            var writer = jsonColumn.BeginJson();
            switch (conversion)
            {
                case ColumnConversion.JsonText: WriteJsonText(writer, value); break;
                case ColumnConversion.UrlEncodedJsonText: WriteJsonText(writer, WebUtility.UrlDecode(value)); break;
                default: writer.WriteStringValue(value); break;
            }
            jsonColumn.CompleteJson();
        }
        else
        {
            column.AppendString(value);
        }
        Scalar();
    }

    public void Integer(long value)
    {
        if (Json(out var json))
        {
            json?.WriteNumberValue(value);
            return;
        }
        if (Tag(value.ToString(System.Globalization.CultureInfo.InvariantCulture))) return;
        if (Take() is { } column)
        {
            if (column is JsonColumnBuilder j) { j.BeginJson().WriteNumberValue(value); j.CompleteJson(); }
            else column.AppendInt64(value);
        }
        Scalar();
    }

    public void Double(double value)
    {
        if (Json(out var json))
        {
            if (json is not null) WriteDouble(json, value);
            return;
        }
        if (Tag(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) return;
        if (Take() is { } column)
        {
            if (column is JsonColumnBuilder j) { WriteDouble(j.BeginJson(), value); j.CompleteJson(); }
            else column.AppendDouble(value);
        }
        Scalar();
    }

    public void Boolean(bool value)
    {
        if (Json(out var json))
        {
            json?.WriteBooleanValue(value);
            return;
        }
        if (Tag(value ? "true" : "false")) return;
        if (Take() is { } column)
        {
            if (column is JsonColumnBuilder j) { j.BeginJson().WriteBooleanValue(value); j.CompleteJson(); }
            else column.AppendBoolean(value);
        }
        Scalar();
    }

    public void Timestamp(DateTimeOffset value)
    {
        if (Json(out var json))
        {
            json?.WriteStringValue(value.ToUniversalTime());
            return;
        }
        if (Tag(value.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture))) return;
        if (Take() is { } column)
        {
            if (column is JsonColumnBuilder j) { j.BeginJson().WriteStringValue(value.ToUniversalTime()); j.CompleteJson(); }
            else column.AppendTimestamp(value);
        }
        Scalar();
    }

    public void Blob(byte[] value)
    {
        if (Json(out var json))
        {
            json?.WriteBase64StringValue(value);
            return;
        }
        if (Tag(Convert.ToBase64String(value))) return;
        if (Take() is { } column)
        {
            if (column is JsonColumnBuilder j) { j.BeginJson().WriteBase64StringValue(value); j.CompleteJson(); }
            else column.AppendBytes(value);
        }
        Scalar();
    }

    public void Document(JsonElement value)
    {
        if (Json(out var json))
        {
            if (json is not null) value.WriteTo(json);
            return;
        }
        if (Tag(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText())) return;
        if (Take() is { } column)
        {
            if (column is JsonColumnBuilder j)
            {
                var writer = j.BeginJson();
                if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) { j.AppendNull(); }
                else { value.WriteTo(writer); j.CompleteJson(); }
            }
            else if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) column.AppendNull();
            else column.Append(System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText()));
        }
        Scalar();
    }

    public void Null()
    {
        if (Json(out var json))
        {
            json?.WriteNullValue();
            return;
        }
        if (Tag(null)) return;
        if (Take() is { } column) column.AppendNull();
        Scalar();
    }

    /// <summary>A malformed scalar is a null in its place (the reader records the warning).</summary>
    public void Malformed(Shape shape, string text) => Null();

    // A container inside a skipped value, a tag or JSON text: counted, skipped or written; false when the caller places it.
    private bool OpenInside(bool isArray)
    {
        if (_count == 0) return false;
        ref var top = ref _frames[_count - 1];
        switch (top.Mode)
        {
            case Mode.Skip:
                top.Depth++;
                return true;
            case Mode.Tag or Mode.Tags:
                Push(Mode.Skip, null, 1);
                return true;
            case Mode.Json:
                if (_skipNext)
                {
                    _skipNext = false;
                    Push(Mode.Skip, null, 1);
                    return true;
                }
                if (isArray) _json!.WriteStartArray();
                else _json!.WriteStartObject();
                _jsonKinds.Push(isArray);
                top.Depth++;
                return true;
            default:
                return false;
        }
    }

    private void StartJson(JsonColumnBuilder column, bool isArray)
    {
        _json = column.BeginJson();
        _jsonKinds.Clear();
        Push(Mode.Json, column, 0);
        OpenInside(isArray);
    }

    private readonly Stack<bool> _jsonKinds = new();

    // The open container ends.
    private void Close()
    {
        if (_count == 0) return;
        ref var top = ref _frames[_count - 1];
        switch (top.Mode)
        {
            case Mode.Skip:
                if (--top.Depth > 0) return;
                _count--;
                break;
            case Mode.Json:
                if (_jsonKinds.Pop()) _json!.WriteEndArray();
                else _json!.WriteEndObject();
                if (--top.Depth > 0) return;
                ((JsonColumnBuilder)top.Builder!).CompleteJson();
                _count--;
                break;
            case Mode.Struct:
                ((StructColumnBuilder)top.Builder!).EndValue();
                _count--;
                break;
            case Mode.List:
                ((ListColumnBuilder)top.Builder!).EndValue();
                _count--;
                break;
            case Mode.Map:
                ((MapColumnBuilder)top.Builder!).EndValue();
                _count--;
                break;
            case Mode.Tag:
                if (_tagKey is not null)
                {
                    // A repeated key keeps its first place and takes the last value (a loop: no delegate per tag).
                    var i = 0;
                    while (i < _tags.Count && _tags[i].Key != _tagKey) i++;
                    if (i < _tags.Count) _tags[i] = (_tagKey, _tagValue);
                    else _tags.Add((_tagKey, _tagValue));
                }
                _count--;
                return; // still inside the tag list
            case Mode.Tags:
                var map = (MapColumnBuilder)top.Builder!;
                foreach (var (key, value) in _tags)
                {
                    map.Keys.AppendString(key);
                    if (value is null) map.Values.AppendNull();
                    else map.Values.AppendString(value);
                }
                map.EndValue();
                _tags.Clear();
                _count--;
                break;
        }
        Scalar();
    }

    // After a value at this level: the next item of a list goes to its elements; the value may be complete.
    private void Scalar()
    {
        if (_count == 0) Done = true;
    }

    private ColumnBuilder? Take()
    {
        if (_count > 0)
        {
            ref var top = ref _frames[_count - 1];
            if (top.Mode == Mode.List) return ((ListColumnBuilder)top.Builder!).Elements;
            if (top.Mode == Mode.Tags)
            {
                return null; // an item of a tag list that is not a structure: dropped
            }
        }
        var next = _next;
        _next = null;
        return next;
    }

    private static ColumnBuilder? Reopened(ColumnBuilder field)
    {
        switch (field)
        {
            case ListColumnBuilder list: list.Reopen(); return list;
            case MapColumnBuilder map: map.Reopen(); return map;
            default: return null; // a scalar or structure given twice keeps its first value
        }
    }

    private bool Json(out Utf8JsonWriter? writer)
    {
        writer = null;
        if (_count == 0) return false;
        ref var top = ref _frames[_count - 1];
        if (top.Mode == Mode.Skip) return true;
        if (top.Mode != Mode.Json) return false;
        if (_skipNext)
        {
            _skipNext = false;
            return true;
        }
        writer = _json;
        return true;
    }

    // A scalar inside a tag list's item: its key or value, as text; true when consumed.
    private bool Tag(string? text)
    {
        if (_count == 0) return false;
        ref var top = ref _frames[_count - 1];
        if (top.Mode == Mode.Tags) return true; // a scalar item of a tag list: dropped
        if (top.Mode != Mode.Tag) return false;
        if (_tagField == 1) _tagKey = text;
        else if (_tagField == 2) _tagValue = text;
        _tagField = 0;
        return true;
    }

    private static bool IsTagField(string member, string name) =>
        member.Equals(name, StringComparison.OrdinalIgnoreCase) || member.Equals("Tag" + name, StringComparison.OrdinalIgnoreCase);

    private void Push(Mode mode, ColumnBuilder? builder, int depth)
    {
        if (_count == _frames.Length) Array.Resize(ref _frames, _count * 2);
        _frames[_count++] = new Frame { Mode = mode, Builder = builder, Depth = depth };
    }

    // A JSON document given as text is stored as its JSON when it parses, else as a JSON string.
    private static void WriteJsonText(Utf8JsonWriter writer, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Null) writer.WriteStringValue(text);
            else document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(text);
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
