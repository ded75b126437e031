using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using CloudInventory.Catalog;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// Structs from JSON objects. A field's value is looked up by its column name (snake_case) or its
/// API member name; missing fields are null, unknown properties are ignored.
/// </summary>
internal sealed class StructColumnBuilder : ColumnBuilder
{
    private readonly BitBuffer _validity = new();
    private readonly ColumnBuilder[] _fields;
    private readonly string[] _names;
    private readonly string?[] _sourceNames;
    private bool _preferSourceNames;
    private readonly Dictionary<string, int> _bySource = new(StringComparer.Ordinal);
    private readonly bool[] _set;

    public StructColumnBuilder(StructType arrowType, ColumnType type, RejectionCounter rejections) : base(arrowType, rejections)
    {
        _fields = new ColumnBuilder[type.Fields.Count];
        _names = new string[type.Fields.Count];
        _sourceNames = new string?[type.Fields.Count];
        for (var i = 0; i < _fields.Length; i++)
        {
            var field = type.Fields[i];
            _fields[i] = Create(field.Type, rejections);
            _names[i] = field.Name;
            _sourceNames[i] = string.Equals(field.SourceName, field.Name, StringComparison.Ordinal) ? null : field.SourceName;
            _bySource.TryAdd(field.SourceName, i);
        }
        _set = new bool[_fields.Length];
    }

    public override int Length => _validity.Length;

    public override long ByteSize
    {
        get
        {
            long size = _validity.ByteLength;
            foreach (var child in _fields) size += child.ByteSize;
            return size;
        }
    }

    public override bool TryAppend(JsonNode node)
    {
        if (node is not JsonObject obj) return false;
        for (var i = 0; i < _fields.Length; i++)
        {
            _fields[i].Append(Lookup(obj, i));
        }
        _validity.Append(true);
        return true;
    }

    /// <summary>A structure value begins: its fields follow through <see cref="Field"/>.</summary>
    public void BeginValue() => System.Array.Clear(_set);

    /// <summary>
    /// The builder of the field an API member fills, or null when the member is not kept; <paramref name="again"/>
    /// tells that the member was already given in this value.
    /// </summary>
    public ColumnBuilder? Field(string member, out bool again)
    {
        again = false;
        if (!_bySource.TryGetValue(member, out var i)) return null;
        again = _set[i];
        _set[i] = true;
        return _fields[i];
    }

    /// <summary>The structure value ends: the fields it did not give are null.</summary>
    public void EndValue()
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            if (!_set[i]) _fields[i].AppendNull();
        }
        _validity.Append(true);
    }

    public override void Truncate(int length)
    {
        foreach (var child in _fields) child.Truncate(length);
        _validity.Truncate(length);
    }

    public override void AppendNull()
    {
        foreach (var child in _fields) child.AppendNull();
        _validity.Append(false);
    }

    public override ArrayData Build(bool share)
    {
        var children = new ArrayData[_fields.Length];
        for (var i = 0; i < children.Length; i++) children[i] = _fields[i].Build(share);
        var data = new ArrayData(ArrowType, _validity.Length, _validity.UnsetCount, 0, [_validity.ToValidityBuffer(share)], children);
        _validity.Clear();
        return data;
    }

    private JsonNode? Lookup(JsonObject obj, int index)
    {
        var source = _sourceNames[index];
        if (source is null) return obj.TryGetPropertyValue(_names[index], out var same) ? same : null;
        var (first, second) = _preferSourceNames ? (source, _names[index]) : (_names[index], source);
        if (obj.TryGetPropertyValue(first, out var value)) return value;
        if (obj.TryGetPropertyValue(second, out value))
        {
            _preferSourceNames = !_preferSourceNames;
            return value;
        }
        return null;
    }
}
