using Apache.Arrow;
using Apache.Arrow.Types;
using CloudInventory.Catalog;
using Column = CloudInventory.Catalog.Column;
using Table = CloudInventory.Catalog.Table;

namespace CloudInventory.Storage;

/// <summary>
/// The Arrow types of catalog columns: string→utf8, int32, int64, double, bool→boolean,
/// timestamp→timestamp(ms, UTC), binary, json→utf8 (JSON text), struct→struct, list→list,
/// map→map&lt;key, value&gt; (keys non-null). Every column and nested value is nullable.
/// </summary>
public static class ArrowTypeMapping
{
    /// <summary>The Arrow timestamp type every timestamp column has: milliseconds, UTC.</summary>
    public static TimestampType Timestamp { get; } = new(TimeUnit.Millisecond, "UTC");

    /// <summary>The Arrow type of a column type, recursively for nested types.</summary>
    public static IArrowType ToArrowType(ColumnType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind switch
        {
            ColumnKind.String or ColumnKind.Json => StringType.Default,
            ColumnKind.Int32 => Int32Type.Default,
            ColumnKind.Int64 => Int64Type.Default,
            ColumnKind.Double => DoubleType.Default,
            ColumnKind.Bool => BooleanType.Default,
            ColumnKind.Timestamp => Timestamp,
            ColumnKind.Binary => BinaryType.Default,
            ColumnKind.Struct => new StructType(type.Fields.Select(f => new Field(f.Name, ToArrowType(f.Type), nullable: true)).ToList()),
            ColumnKind.List => new ListType(new Field("element", ToArrowType(type.Element!), nullable: true)),
            ColumnKind.Map => new MapType(new Field("key", ToArrowType(type.Key!), nullable: false), new Field("value", ToArrowType(type.Value!), nullable: true)),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, "unknown column kind"),
        };
    }

    /// <summary>The Arrow field of a column (nullable).</summary>
    public static Field ToArrowField(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return new Field(column.Name, ToArrowType(column.Type), nullable: true);
    }

    /// <summary>The Arrow schema of columns, in order.</summary>
    public static Schema ToArrowSchema(IReadOnlyList<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var builder = new Schema.Builder();
        foreach (var column in columns) builder.Field(ToArrowField(column));
        return builder.Build();
    }
}
