using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols;

/// <summary>
/// An <see cref="IShapeVisitor"/> that builds a <see cref="JsonNode"/> tree of the output, keyed
/// by model member names: timestamps are <see cref="DateTimeOffset"/> values, blobs
/// <see cref="byte"/> arrays, documents JSON. Repeated announcements of a list or map member
/// (non-adjacent XML flattened items) append to the first. Renders the tree as JSON the way the
/// AWS CLI prints it. Not for hot paths: the streaming visitors are.
/// </summary>
public sealed class ValueTreeBuilder : IShapeVisitor
{
    private static readonly JsonTypeInfo<byte[]> s_bytesInfo =
        JsonMetadataServices.CreateValueInfo<byte[]>(JsonSerializerOptions.Default, JsonMetadataServices.ByteArrayConverter);

    // The open values, innermost last. Structures and lists are built when they end, from pooled member and item
    // lists, so each JsonObject and JsonArray is allocated once at its final size (no growing and copying).
    private readonly List<Open> _open = [];
    private readonly Stack<List<KeyValuePair<string, JsonNode?>>> _memberLists = new();
    private readonly Stack<List<JsonNode?>> _itemLists = new();
    private readonly List<MalformedValue> _malformed = [];
    private string? _pendingName;
    private int[] _order = new int[16];

    /// <summary>The top-level structure, once it has ended; null before (or when the operation has no output).</summary>
    public JsonObject? Root { get; private set; }

    /// <summary>
    /// The scalars that were not valid values of their modelled type, in reading order: each stands as a null in
    /// the tree (tolerant reading). Paths are relative to the top-level structure.
    /// </summary>
    public IReadOnlyList<MalformedValue> MalformedValues => _malformed;

    /// <summary>Forgets the tree built so far, so this builder can build another (its pooled lists are kept).</summary>
    public void Reset()
    {
        foreach (var open in _open) Return(open);
        _open.Clear();
        _malformed.Clear();
        _pendingName = null;
        Root = null;
    }

    /// <inheritdoc />
    public void StartStructure(Shape shape) =>
        _open.Add(new Open(OpenKind.Structure, TakeName(), null, _memberLists.TryPop(out var members) ? members : [], null));

    /// <inheritdoc />
    public void Member(Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        _pendingName = member.Name;
    }

    /// <summary>The current structure ends; its members are put in model order, as the AWS CLI prints them.</summary>
    public void EndStructure(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var open = Pop();
        var members = open.Members!;
        if (members.Count > 1) SortByModel(members, shape);
        var obj = new JsonObject(members);
        Return(open);
        if (_open.Count == 0) Root ??= obj;
        else Attach(obj, open.Name);
    }

    /// <inheritdoc />
    public void StartList(Shape shape)
    {
        var name = _pendingName;
        if (Existing<JsonArray>() is { } existing) _open.Add(new Open(OpenKind.Existing, name, existing, null, null));
        else _open.Add(new Open(OpenKind.List, TakeName(), null, null, _itemLists.TryPop(out var items) ? items : []));
    }

    /// <inheritdoc />
    public void EndList(Shape shape)
    {
        var open = Pop();
        if (open.Kind != OpenKind.List) return;
        var array = new JsonArray(CollectionsMarshal.AsSpan(open.Items));
        Return(open);
        if (_open.Count > 0) Attach(array, open.Name);
    }

    /// <inheritdoc />
    public void StartMap(Shape shape)
    {
        var name = _pendingName;
        if (Existing<JsonObject>() is { } existing)
        {
            _open.Add(new Open(OpenKind.Map, name, existing, null, null));
            return;
        }
        var map = new JsonObject();
        TakeName();
        if (_open.Count > 0) Attach(map, name);
        _open.Add(new Open(OpenKind.Map, name, map, null, null));
    }

    /// <inheritdoc />
    public void MapKey(string key) => _pendingName = key;

    /// <inheritdoc />
    public void EndMap(Shape shape) => Pop();

    /// <inheritdoc />
    public void String(string value) => Attach(JsonValue.Create(value), TakeName());

    /// <inheritdoc />
    public void Integer(long value) => Attach(JsonValue.Create(value), TakeName());

    /// <inheritdoc />
    public void Double(double value) => Attach(JsonValue.Create(value), TakeName());

    /// <inheritdoc />
    public void Boolean(bool value) => Attach(JsonValue.Create(value), TakeName());

    /// <inheritdoc />
    public void Timestamp(DateTimeOffset value) => Attach(JsonValue.Create(value.ToUniversalTime()), TakeName());

    /// <inheritdoc />
    public void Blob(byte[] value) => Attach(JsonValue.Create(value, s_bytesInfo), TakeName());

    /// <inheritdoc />
    public void Document(JsonElement value) => Attach(FromElement(value), TakeName());

    /// <inheritdoc />
    public void Null() => Attach(null, TakeName());

    /// <summary>A malformed scalar: a null in the tree, and an entry of <see cref="MalformedValues"/>.</summary>
    public void Malformed(Shape shape, string text)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _malformed.Add(new MalformedValue(PathOf(_pendingName), MalformedValue.TypeName(shape), text));
        Attach(null, TakeName());
    }

    /// <summary>
    /// The member path of the value about to be attached: every open value's member below the top level, <c>[]</c> after
    /// a list, <c>{}</c> after a map (whose keys are not part of the path, so values of one map member aggregate).
    /// </summary>
    private string PathOf(string? pending)
    {
        var path = new StringBuilder();
        for (var i = 1; i < _open.Count; i++) AppendStep(path, _open[i], inMap: _open[i - 1].Kind == OpenKind.Map);
        if (_open.Count > 0 && _open[^1].Kind == OpenKind.Map) return path.ToString();
        if (pending is not null)
        {
            if (path.Length > 0) path.Append('.');
            path.Append(pending);
        }
        return path.ToString();
    }

    private static void AppendStep(StringBuilder path, Open open, bool inMap)
    {
        if (open.Name is { } name && !inMap)
        {
            if (path.Length > 0) path.Append('.');
            path.Append(name);
        }
        switch (open.Kind)
        {
            case OpenKind.List or OpenKind.Existing:
                path.Append("[]");
                break;
            case OpenKind.Map:
                path.Append("{}");
                break;
        }
    }

    /// <summary>The tree as compact (or indented) JSON: timestamps ISO-8601 UTC (<c>2019-12-16T23:48:18Z</c>), blobs base64, NaN and infinities as strings.</summary>
    public string ToJson(bool indented = false) => Render(Root, indented ? 2 : 0, cli: false);

    /// <summary>
    /// The tree as the AWS CLI prints it: indented by four spaces, non-ASCII text unescaped,
    /// timestamps ISO-8601 in UTC with an explicit offset (<c>2019-12-16T23:48:18+00:00</c>), blobs base64.
    /// </summary>
    public string ToAwsCliJson() => Render(Root, 4, cli: true);

    /// <summary>Renders any tree built by a <see cref="ValueTreeBuilder"/> (or a subtree of one) as <see cref="ToJson"/> does.</summary>
    public static string Render(JsonNode? node, bool indented = false) => Render(node, indented ? 2 : 0, cli: false);

    /// <summary>Formats a timestamp as ISO-8601 UTC with <c>Z</c> and only the fractional digits it needs.</summary>
    public static string FormatTimestamp(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (fraction != 0) text += "." + fraction.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + "Z";
    }

    private static string FormatCliTimestamp(DateTimeOffset value)
    {
        // Python's isoformat(): microseconds only when present, always six digits.
        var utc = value.UtcDateTime;
        var micro = utc.Ticks % TimeSpan.TicksPerSecond / 10;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (micro != 0) text += "." + micro.ToString("000000", CultureInfo.InvariantCulture);
        return text + "+00:00";
    }

    private void SortByModel(List<KeyValuePair<string, JsonNode?>> members, Shape shape)
    {
        if (_order.Length < members.Count) _order = new int[Math.Max(members.Count, 2 * _order.Length)];
        var order = _order;
        var sorted = true;
        for (var i = 0; i < members.Count; i++)
        {
            order[i] = ModelIndex(shape, members[i].Key);
            if (i > 0 && order[i] < order[i - 1]) sorted = false;
        }
        if (sorted) return;
        // Insertion sort (stable, no allocation): members the model does not name keep their order, after the ones it does.
        for (var i = 1; i < members.Count; i++)
        {
            var key = order[i];
            var member = members[i];
            var j = i - 1;
            for (; j >= 0 && order[j] > key; j--)
            {
                order[j + 1] = order[j];
                members[j + 1] = members[j];
            }
            order[j + 1] = key;
            members[j + 1] = member;
        }
    }

    private static int ModelIndex(Shape shape, string name)
    {
        var members = shape.Members;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i].Name == name) return i;
        }
        return int.MaxValue;
    }

    private string? TakeName()
    {
        var name = _pendingName;
        _pendingName = null;
        return name;
    }

    /// <summary>The list or map of the pending member that an earlier announcement already built (non-adjacent flattened XML items).</summary>
    private T? Existing<T>() where T : JsonNode
    {
        if (_open.Count == 0 || _pendingName is not { } name) return null;
        var parent = _open[^1];
        JsonNode? existing = null;
        if (parent.Kind == OpenKind.Structure)
        {
            foreach (var (key, value) in parent.Members!)
            {
                if (key == name) existing = value;
            }
        }
        else if (parent.Kind == OpenKind.Map)
        {
            ((JsonObject)parent.Node!).TryGetPropertyValue(name, out existing);
        }
        if (existing is not T node) return null;
        _pendingName = null;
        return node;
    }

    private Open Pop()
    {
        if (_open.Count == 0) throw new InvalidOperationException("A structure, list or map ended that was not open.");
        var open = _open[^1];
        _open.RemoveAt(_open.Count - 1);
        return open;
    }

    private void Return(Open open)
    {
        if (open.Members is { } members)
        {
            members.Clear();
            _memberLists.Push(members);
        }
        if (open.Items is { } items)
        {
            items.Clear();
            _itemLists.Push(items);
        }
    }

    private void Attach(JsonNode? node, string? name)
    {
        if (_open.Count == 0) throw new InvalidOperationException("A value was visited outside of any structure.");
        var parent = _open[^1];
        switch (parent.Kind)
        {
            case OpenKind.List:
                parent.Items!.Add(node);
                break;
            case OpenKind.Existing:
                ((JsonArray)parent.Node!).Add(node);
                break;
            case OpenKind.Map:
                ((JsonObject)parent.Node!)[name ?? throw new InvalidOperationException("A value was visited without a map key.")] = node;
                break;
            default:
                var key = name ?? throw new InvalidOperationException("A value was visited without a member or map key.");
                var members = parent.Members!;
                // A member announced twice keeps its last value (as assigning to a JsonObject would).
                for (var i = 0; i < members.Count; i++)
                {
                    if (members[i].Key == key)
                    {
                        members[i] = new(key, node);
                        return;
                    }
                }
                members.Add(new(key, node));
                break;
        }
    }

    private enum OpenKind : byte
    {
        Structure,
        List,
        Existing,
        Map,
    }

    /// <summary>An open value: a structure's members or a list's items so far, or the map or existing list being added to.</summary>
    private readonly record struct Open(OpenKind Kind, string? Name, JsonNode? Node, List<KeyValuePair<string, JsonNode?>>? Members, List<JsonNode?>? Items);

    private static JsonNode? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => JsonValue.Create(element),
    };

    private static string Render(JsonNode? node, int indent, bool cli)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions
        {
            Indented = indent > 0,
            IndentSize = Math.Max(indent, 1),
            Encoder = cli ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default,
        };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            Write(writer, node, cli);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, bool cli)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                return;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, value) in obj)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value, cli);
                }
                writer.WriteEndObject();
                return;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item, cli);
                writer.WriteEndArray();
                return;
            case JsonValue value:
                WriteValue(writer, value, cli);
                return;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value, bool cli)
    {
        if (value.TryGetValue<string>(out var s)) writer.WriteStringValue(s);
        else if (value.TryGetValue<JsonElement>(out var element)) element.WriteTo(writer);
        else if (value.TryGetValue<DateTimeOffset>(out var t)) writer.WriteStringValue(cli ? FormatCliTimestamp(t) : FormatTimestamp(t));
        else if (value.TryGetValue<byte[]>(out var bytes)) writer.WriteBase64StringValue(bytes);
        else if (value.TryGetValue<long>(out var l)) writer.WriteNumberValue(l);
        else if (value.TryGetValue<double>(out var d))
        {
            if (double.IsFinite(d)) writer.WriteNumberValue(d);
            else writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        }
        else if (value.TryGetValue<bool>(out var b)) writer.WriteBooleanValue(b);
        else value.WriteTo(writer);
    }
}
