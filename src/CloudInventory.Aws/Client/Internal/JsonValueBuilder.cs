using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Aws.Client.Internal;

/// <summary>
/// Builds one value from visitor events as a <see cref="JsonNode"/> in the client's input form, so a
/// captured pagination token can be sent back as a parameter: structures and maps are objects,
/// timestamps <see cref="DateTimeOffset"/> values and blobs byte arrays (as the serializer reads them).
/// </summary>
internal sealed class JsonValueBuilder : IShapeVisitor
{
    private readonly Stack<(JsonNode Container, string? PendingName)> _stack = new();
    private bool _done;

    public JsonNode? Result { get; private set; }

    /// <summary>True once the outermost value is complete.</summary>
    public bool IsComplete => _done;

    public void StartStructure(Shape shape) => Open(new JsonObject());

    public void Member(Member member) => SetPending(member.Name);

    public void EndStructure(Shape shape) => Close();

    public void StartList(Shape shape) => Open(new JsonArray(), appendable: true);

    public void EndList(Shape shape) => Close();

    public void StartMap(Shape shape) => Open(new JsonObject(), appendable: true);

    public void MapKey(string key) => SetPending(key);

    public void EndMap(Shape shape) => Close();

    public void String(string value) => Add(JsonValue.Create(value));

    public void Integer(long value) => Add(JsonValue.Create(value));

    public void Double(double value) => Add(double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture)));

    public void Boolean(bool value) => Add(JsonValue.Create(value));

    public void Timestamp(DateTimeOffset value) => Add(JsonValue.Create(value));

    public void Blob(byte[] value) => Add(JsonValue.Create(value));

    public void Document(JsonElement value) => Add(JsonNode.Parse(value.GetRawText()));

    public void Null() => Add(null);

    // A malformed token value is no token: nothing to send back.
    public void Malformed(Shape shape, string text) => Add(null);

    private void SetPending(string name)
    {
        var (container, _) = _stack.Pop();
        _stack.Push((container, name));
    }

    private void Open(JsonNode container, bool appendable = false)
    {
        // A flattened XML list or map may be announced again for the same member: keep adding to it.
        if (appendable && _stack.Count > 0 && _stack.Peek() is (JsonObject parent, { } name)
            && parent[name] is { } existing && existing.GetType() == container.GetType())
        {
            _stack.Push((existing, null));
            return;
        }
        Add(container);
        _stack.Push((container, null));
    }

    private void Close()
    {
        _stack.Pop();
        if (_stack.Count == 0) _done = true;
    }

    private void Add(JsonNode? value)
    {
        if (_stack.Count == 0)
        {
            Result = value;
            if (value is not (JsonObject or JsonArray)) _done = true;
            return;
        }
        var (container, pending) = _stack.Peek();
        switch (container)
        {
            case JsonArray array:
                array.Add(value);
                break;
            case JsonObject obj when pending is not null:
                obj[pending] = value;
                break;
            default:
                throw new AwsProtocolException("a structure or map value came without a member name or key");
        }
    }
}
