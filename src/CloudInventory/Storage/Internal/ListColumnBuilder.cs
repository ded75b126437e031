using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace CloudInventory.Storage.Internal;

/// <summary>Lists from JSON arrays: validity, int32 offsets and the element values as a child.</summary>
internal sealed class ListColumnBuilder : ColumnBuilder
{
    private readonly BitBuffer _validity = new();
    private readonly ByteBuffer _offsets = new(64);
    private readonly ColumnBuilder _elements;

    public ListColumnBuilder(IArrowType arrowType, ColumnBuilder elements, RejectionCounter rejections) : base(arrowType, rejections)
    {
        _elements = elements;
        _offsets.Append(0);
    }

    public override int Length => _validity.Length;

    public override long ByteSize => _validity.ByteLength + _offsets.Length + _elements.ByteSize;

    public override bool TryAppend(JsonNode node)
    {
        if (node is not JsonArray array) return false;
        for (var i = 0; i < array.Count; i++) _elements.Append(array[i]);
        _offsets.Append(_elements.Length);
        _validity.Append(true);
        return true;
    }

    /// <summary>The builder of the items.</summary>
    public ColumnBuilder Elements => _elements;

    /// <summary>Ends a list whose items were appended to <see cref="Elements"/> since the previous value.</summary>
    public void EndValue()
    {
        _offsets.Append(_elements.Length);
        _validity.Append(true);
    }

    /// <summary>Takes the last list up again, so more items join it (a list member announced twice).</summary>
    public void Reopen()
    {
        _offsets.Truncate(_offsets.Length - sizeof(int));
        _validity.Truncate(_validity.Length - 1);
    }

    public override void Truncate(int length)
    {
        _elements.Truncate(_offsets.Read<int>(length * sizeof(int)));
        _offsets.Truncate((length + 1) * sizeof(int));
        _validity.Truncate(length);
    }

    public override void AppendNull()
    {
        _offsets.Append(_elements.Length);
        _validity.Append(false);
    }

    public override ArrayData Build(bool share)
    {
        var data = new ArrayData(ArrowType, _validity.Length, _validity.UnsetCount, 0,
            [_validity.ToValidityBuffer(share), _offsets.ToArrowBuffer(share)], [_elements.Build(share)]);
        _validity.Clear();
        _offsets.Clear();
        _offsets.Append(0);
        return data;
    }
}
