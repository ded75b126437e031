using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using CloudInventory.Catalog;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// Accumulates the values of one column (or one nested field) column-wise into growable Arrow
/// buffers — validity, offsets, values, children — and turns them into <see cref="ArrayData"/>.
/// </summary>
internal abstract class ColumnBuilder
{
    private readonly RejectionCounter _rejections;

    protected ColumnBuilder(IArrowType arrowType, RejectionCounter rejections)
    {
        ArrowType = arrowType;
        _rejections = rejections;
    }

    /// <summary>The Arrow type of the values.</summary>
    public IArrowType ArrowType { get; }

    /// <summary>The number of values (nulls included) appended since the last build.</summary>
    public abstract int Length { get; }

    /// <summary>The bytes the appended values occupy in the buffers (capacity not counted).</summary>
    public abstract long ByteSize { get; }

    /// <summary>Appends a value, or null for a null node or a value that does not fit the type (counted).</summary>
    public void Append(JsonNode? node)
    {
        if (node is null)
        {
            AppendNull();
        }
        else if (!TryAppend(node))
        {
            _rejections.Add();
            AppendNull();
        }
    }

    /// <summary>Appends a non-null value if it fits the type; otherwise appends nothing and returns false.</summary>
    public abstract bool TryAppend(JsonNode node);

    /// <summary>Appends a map key given as text if it converts to the type; otherwise appends nothing and returns false.</summary>
    public virtual bool TryAppendKey(string key) => TryAppend(JsonValue.Create(key));

    /// <summary>Appends a null.</summary>
    public abstract void AppendNull();

    /// <summary>Appends a null for a value that does not fit the type, and counts it.</summary>
    public void Reject()
    {
        _rejections.Add();
        AppendNull();
    }

    // Typed appends, for values read straight from a response (no JSON in between). A value of another kind than
    // the column's is converted by the same lossless rules as a JSON value (rare: the schema follows the model).

    /// <summary>Appends text, or null (counted) when it does not convert to the type.</summary>
    public void AppendString(string value)
    {
        if (!TryAppendString(value)) Reject();
    }

    /// <summary>Appends an integer, or null (counted) when it does not convert to the type.</summary>
    public void AppendInt64(long value)
    {
        if (!TryAppendInt64(value)) Reject();
    }

    /// <summary>Appends a floating-point number, or null (counted) when it does not convert to the type.</summary>
    public void AppendDouble(double value)
    {
        if (!TryAppendDouble(value)) Reject();
    }

    /// <summary>Appends a boolean, or null (counted) when it does not convert to the type.</summary>
    public void AppendBoolean(bool value)
    {
        if (!TryAppendBoolean(value)) Reject();
    }

    /// <summary>Appends a point in time, or null (counted) when it does not convert to the type.</summary>
    public void AppendTimestamp(DateTimeOffset value)
    {
        if (!TryAppendTimestamp(value)) Reject();
    }

    /// <summary>Appends bytes, or null (counted) when the column does not hold bytes.</summary>
    public void AppendBytes(byte[] value)
    {
        if (!TryAppendBytes(value)) Reject();
    }

    protected virtual bool TryAppendString(string value) => TryAppend(JsonValue.Create(value));

    protected virtual bool TryAppendInt64(long value) => TryAppend(JsonValue.Create(value));

    protected virtual bool TryAppendDouble(double value) => TryAppend(JsonValue.Create(value));

    protected virtual bool TryAppendBoolean(bool value) => TryAppend(JsonValue.Create(value));

    protected virtual bool TryAppendTimestamp(DateTimeOffset value) => TryAppend(JsonValue.Create(value));

    protected virtual bool TryAppendBytes(byte[] value) => false;

    /// <summary>Drops the values from position <paramref name="length"/> on (an incomplete row of a failed read).</summary>
    public abstract void Truncate(int length);

    /// <summary>
    /// The appended values as Arrow array data; the builder is then empty again (capacity kept).
    /// With <paramref name="share"/>, the array data uses the builder's own memory and is valid only
    /// until the next append: for a consumer that is done with it before then.
    /// </summary>
    public abstract ArrayData Build(bool share);

    /// <summary>Counts a value that did not fit (for nested builders that drop parts of a value).</summary>
    public void CountRejection() => _rejections.Add();

    /// <summary>A builder for <paramref name="type"/>, recursively for nested types.</summary>
    public static ColumnBuilder Create(ColumnType type, RejectionCounter rejections)
    {
        var arrowType = ArrowTypeMapping.ToArrowType(type);
        return type.Kind switch
        {
            ColumnKind.String => new StringColumnBuilder(arrowType, rejections),
            ColumnKind.Json => new JsonColumnBuilder(arrowType, rejections),
            ColumnKind.Binary => new BinaryColumnBuilder(arrowType, rejections),
            ColumnKind.Int32 => new Int32ColumnBuilder(arrowType, rejections),
            ColumnKind.Int64 => new Int64ColumnBuilder(arrowType, rejections),
            ColumnKind.Double => new DoubleColumnBuilder(arrowType, rejections),
            ColumnKind.Timestamp => new TimestampColumnBuilder(arrowType, rejections),
            ColumnKind.Bool => new BooleanColumnBuilder(arrowType, rejections),
            ColumnKind.Struct => new StructColumnBuilder((StructType)arrowType, type, rejections),
            ColumnKind.List => new ListColumnBuilder(arrowType, Create(type.Element!, rejections), rejections),
            ColumnKind.Map => new MapColumnBuilder((MapType)arrowType, Create(type.Key!, rejections), Create(type.Value!, rejections), rejections),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "unknown column kind"),
        };
    }
}
