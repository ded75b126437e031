using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace CloudInventory.Storage.Internal;

/// <summary>Booleans: a validity bitmap and a values bitmap.</summary>
internal sealed class BooleanColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : ColumnBuilder(arrowType, rejections)
{
    private readonly BitBuffer _validity = new();
    private readonly BitBuffer _values = new();

    public override int Length => _validity.Length;

    public override long ByteSize => _values.ByteLength + _validity.ByteLength;

    public override bool TryAppend(JsonNode node)
    {
        if (!JsonScalars.TryGetBoolean(node, out var value)) return false;
        _values.Append(value);
        _validity.Append(true);
        return true;
    }

    protected override bool TryAppendBoolean(bool value)
    {
        _values.Append(value);
        _validity.Append(true);
        return true;
    }

    public override void Truncate(int length)
    {
        _values.Truncate(length);
        _validity.Truncate(length);
    }

    public override void AppendNull()
    {
        _values.Append(false);
        _validity.Append(false);
    }

    public override ArrayData Build(bool share)
    {
        var data = new ArrayData(ArrowType, _validity.Length, _validity.UnsetCount, 0,
            [_validity.ToValidityBuffer(share), _values.ToArrowBuffer(share)]);
        _validity.Clear();
        _values.Clear();
        return data;
    }
}
