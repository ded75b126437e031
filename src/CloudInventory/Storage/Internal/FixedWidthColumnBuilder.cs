using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace CloudInventory.Storage.Internal;

/// <summary>Values of a fixed-width primitive type: a validity bitmap and a values buffer.</summary>
internal abstract class FixedWidthColumnBuilder<T> : ColumnBuilder where T : unmanaged
{
    private readonly BitBuffer _validity = new();
    private readonly ByteBuffer _values = new(64);

    protected FixedWidthColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : base(arrowType, rejections) { }

    public override int Length => _validity.Length;

    public override long ByteSize => _values.Length + _validity.ByteLength;

    public override bool TryAppend(JsonNode node)
    {
        if (!TryConvert(node, out var value)) return false;
        _values.Append(value);
        _validity.Append(true);
        return true;
    }

    /// <summary>Appends a valid value.</summary>
    protected bool Put(T value)
    {
        _values.Append(value);
        _validity.Append(true);
        return true;
    }

    public override void Truncate(int length)
    {
        _values.Truncate(length * Unsafe.SizeOf<T>());
        _validity.Truncate(length);
    }

    public override void AppendNull()
    {
        _values.Append(default(T));
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

    protected abstract bool TryConvert(JsonNode node, out T value);
}

internal sealed class Int32ColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : FixedWidthColumnBuilder<int>(arrowType, rejections)
{
    protected override bool TryConvert(JsonNode node, out int value) => JsonScalars.TryGetInt32(node, out value);

    protected override bool TryAppendInt64(long value) => value is >= int.MinValue and <= int.MaxValue ? Put((int)value) : base.TryAppendInt64(value);
}

internal sealed class Int64ColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : FixedWidthColumnBuilder<long>(arrowType, rejections)
{
    protected override bool TryConvert(JsonNode node, out long value) => JsonScalars.TryGetInt64(node, out value);

    protected override bool TryAppendInt64(long value) => Put(value);
}

internal sealed class DoubleColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : FixedWidthColumnBuilder<double>(arrowType, rejections)
{
    protected override bool TryConvert(JsonNode node, out double value) => JsonScalars.TryGetDouble(node, out value);

    protected override bool TryAppendDouble(double value) => Put(value);
}

internal sealed class TimestampColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : FixedWidthColumnBuilder<long>(arrowType, rejections)
{
    protected override bool TryConvert(JsonNode node, out long value) => JsonScalars.TryGetEpochMilliseconds(node, out value);

    protected override bool TryAppendTimestamp(DateTimeOffset value) => Put(value.ToUnixTimeMilliseconds());
}
