using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// Maps from JSON objects (property name → key, property value → value): validity, int32 offsets
/// and a non-null entries struct of keys and values. A key that does not convert to the key type
/// drops its entry (counted).
/// </summary>
internal sealed class MapColumnBuilder : ColumnBuilder
{
    private readonly BitBuffer _validity = new();
    private readonly ByteBuffer _offsets = new(64);
    private readonly MapType _mapType;
    private readonly ColumnBuilder _keys;
    private readonly ColumnBuilder _values;

    public MapColumnBuilder(MapType arrowType, ColumnBuilder keys, ColumnBuilder values, RejectionCounter rejections) : base(arrowType, rejections)
    {
        _mapType = arrowType;
        _keys = keys;
        _values = values;
        _offsets.Append(0);
    }

    public override int Length => _validity.Length;

    public override long ByteSize => _validity.ByteLength + _offsets.Length + _keys.ByteSize + _values.ByteSize;

    public override bool TryAppend(JsonNode node)
    {
        if (node is not JsonObject obj) return false;
        for (var i = 0; i < obj.Count; i++)
        {
            var (key, value) = obj.GetAt(i);
            if (!_keys.TryAppendKey(key))
            {
                CountRejection();
                continue;
            }
            _values.Append(value);
        }
        _offsets.Append(_keys.Length);
        _validity.Append(true);
        return true;
    }

    /// <summary>The builder of the keys.</summary>
    public ColumnBuilder Keys => _keys;

    /// <summary>The builder of the values.</summary>
    public ColumnBuilder Values => _values;

    /// <summary>Ends a map whose entries were appended to <see cref="Keys"/> and <see cref="Values"/> since the previous value.</summary>
    public void EndValue()
    {
        _offsets.Append(_keys.Length);
        _validity.Append(true);
    }

    /// <summary>Takes the last map up again, so more entries join it (a map member announced twice).</summary>
    public void Reopen()
    {
        _offsets.Truncate(_offsets.Length - sizeof(int));
        _validity.Truncate(_validity.Length - 1);
    }

    public override void Truncate(int length)
    {
        var entries = _offsets.Read<int>(length * sizeof(int));
        _keys.Truncate(entries);
        _values.Truncate(entries);
        _offsets.Truncate((length + 1) * sizeof(int));
        _validity.Truncate(length);
    }

    public override void AppendNull()
    {
        _offsets.Append(_keys.Length);
        _validity.Append(false);
    }

    public override ArrayData Build(bool share)
    {
        var entryCount = _keys.Length;
        var entries = new ArrayData(_mapType.KeyValueType, entryCount, 0, 0, [ArrowBuffer.Empty], [_keys.Build(share), _values.Build(share)]);
        var data = new ArrayData(ArrowType, _validity.Length, _validity.UnsetCount, 0,
            [_validity.ToValidityBuffer(share), _offsets.ToArrowBuffer(share)], [entries]);
        _validity.Clear();
        _offsets.Clear();
        _offsets.Append(0);
        return data;
    }
}
