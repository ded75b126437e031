using System.Buffers;
using System.Globalization;
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

    private readonly Stack<JsonNode> _open = new();
    private string? _pendingName;

    /// <summary>The top-level structure, once one has started; null before (or when the operation has no output).</summary>
    public JsonObject? Root { get; private set; }

    /// <inheritdoc />
    public void StartStructure(Shape shape) => Push(new JsonObject());

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
        if (_open.Pop() is JsonObject obj && obj.Count > 1) SortByModel(obj, shape);
    }

    /// <inheritdoc />
    public void StartList(Shape shape) => Push(Existing<JsonArray>() ?? new JsonArray());

    /// <inheritdoc />
    public void EndList(Shape shape) => _open.Pop();

    /// <inheritdoc />
    public void StartMap(Shape shape) => Push(Existing<JsonObject>() ?? new JsonObject());

    /// <inheritdoc />
    public void MapKey(string key) => _pendingName = key;

    /// <inheritdoc />
    public void EndMap(Shape shape) => _open.Pop();

    /// <inheritdoc />
    public void String(string value) => Attach(JsonValue.Create(value));

    /// <inheritdoc />
    public void Integer(long value) => Attach(JsonValue.Create(value));

    /// <inheritdoc />
    public void Double(double value) => Attach(JsonValue.Create(value));

    /// <inheritdoc />
    public void Boolean(bool value) => Attach(JsonValue.Create(value));

    /// <inheritdoc />
    public void Timestamp(DateTimeOffset value) => Attach(JsonValue.Create(value.ToUniversalTime()));

    /// <inheritdoc />
    public void Blob(byte[] value) => Attach(JsonValue.Create(value, s_bytesInfo));

    /// <inheritdoc />
    public void Document(JsonElement value) => Attach(FromElement(value));

    /// <inheritdoc />
    public void Null() => Attach(null);

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

    private static void SortByModel(JsonObject obj, Shape shape)
    {
        var last = -1;
        var sorted = true;
        foreach (var (name, _) in obj)
        {
            var index = ModelIndex(shape, name);
            if (index < last)
            {
                sorted = false;
                break;
            }
            last = index;
        }
        if (sorted) return;
        var members = obj.OrderBy(p => ModelIndex(shape, p.Key)).ToList();
        obj.Clear();
        foreach (var (name, value) in members) obj[name] = value;
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

    private T? Existing<T>() where T : JsonNode
    {
        if (_open.Count > 0 && _open.Peek() is JsonObject parent && _pendingName is { } name
            && parent.TryGetPropertyValue(name, out var existing) && existing is T node)
        {
            _pendingName = null;
            return node;
        }
        return null;
    }

    private void Push(JsonNode node)
    {
        if (node.Parent is null && !ReferenceEquals(node, Root))
        {
            if (_open.Count == 0)
            {
                Root ??= node as JsonObject;
            }
            else
            {
                Attach(node);
            }
        }
        _open.Push(node);
    }

    private void Attach(JsonNode? node)
    {
        if (_open.Count == 0) throw new InvalidOperationException("A value was visited outside of any structure.");
        switch (_open.Peek())
        {
            case JsonArray array:
                array.Add(node);
                break;
            case JsonObject obj:
                var name = _pendingName ?? throw new InvalidOperationException("A value was visited without a member or map key.");
                _pendingName = null;
                obj[name] = node;
                break;
        }
    }

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
