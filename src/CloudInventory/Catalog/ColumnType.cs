using System.Text;

namespace CloudInventory.Catalog;

/// <summary>
/// The type of a column or nested field: a primitive, or a struct/list/map composed of other types.
/// Renders itself as a Hive (Glue/Athena) type and as a DuckDB type.
/// </summary>
public sealed class ColumnType : IEquatable<ColumnType>
{
    private ColumnType(ColumnKind kind, IReadOnlyList<StructField>? fields = null, ColumnType? element = null, ColumnType? key = null, ColumnType? value = null)
    {
        Kind = kind;
        Fields = fields ?? [];
        Element = element;
        Key = key;
        Value = value;
    }

    /// <summary>Text.</summary>
    public static ColumnType String { get; } = new(ColumnKind.String);

    /// <summary>A 32-bit integer.</summary>
    public static ColumnType Int32 { get; } = new(ColumnKind.Int32);

    /// <summary>A 64-bit integer.</summary>
    public static ColumnType Int64 { get; } = new(ColumnKind.Int64);

    /// <summary>A 64-bit float.</summary>
    public static ColumnType Double { get; } = new(ColumnKind.Double);

    /// <summary>A boolean.</summary>
    public static ColumnType Bool { get; } = new(ColumnKind.Bool);

    /// <summary>A timestamp (ms, UTC).</summary>
    public static ColumnType Timestamp { get; } = new(ColumnKind.Timestamp);

    /// <summary>Binary data.</summary>
    public static ColumnType Binary { get; } = new(ColumnKind.Binary);

    /// <summary>JSON text.</summary>
    public static ColumnType Json { get; } = new(ColumnKind.Json);

    /// <summary>The string-to-string map that tag lists become.</summary>
    public static ColumnType StringMap { get; } = new(ColumnKind.Map, key: String, value: String);

    /// <summary>The kind of type.</summary>
    public ColumnKind Kind { get; }

    /// <summary>A struct's fields in order; empty for other kinds.</summary>
    public IReadOnlyList<StructField> Fields { get; }

    /// <summary>A list's element type, or null.</summary>
    public ColumnType? Element { get; }

    /// <summary>A map's key type, or null.</summary>
    public ColumnType? Key { get; }

    /// <summary>A map's value type, or null.</summary>
    public ColumnType? Value { get; }

    /// <summary>True for struct, list and map types.</summary>
    public bool IsNested => Kind is ColumnKind.Struct or ColumnKind.List or ColumnKind.Map;

    /// <summary>A struct of the given fields (at least one).</summary>
    public static ColumnType Struct(IReadOnlyList<StructField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0) throw new ArgumentException("a struct needs at least one field", nameof(fields));
        return new ColumnType(ColumnKind.Struct, fields: fields);
    }

    /// <summary>A list of <paramref name="element"/>.</summary>
    public static ColumnType List(ColumnType element) => new(ColumnKind.List, element: element ?? throw new ArgumentNullException(nameof(element)));

    /// <summary>A map from <paramref name="key"/> to <paramref name="value"/>.</summary>
    public static ColumnType Map(ColumnType key, ColumnType value) =>
        new(ColumnKind.Map, key: key ?? throw new ArgumentNullException(nameof(key)), value: value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>The Hive type used by Glue and Athena, e.g. <c>array&lt;struct&lt;key:string,value:string&gt;&gt;</c>.</summary>
    public string ToHiveType()
    {
        var sb = new StringBuilder();
        WriteHive(sb);
        return sb.ToString();
    }

    /// <summary>The DuckDB type, e.g. <c>STRUCT("key" VARCHAR, "value" VARCHAR)[]</c>.</summary>
    public string ToDuckDbType()
    {
        var sb = new StringBuilder();
        WriteDuckDb(sb);
        return sb.ToString();
    }

    private void WriteHive(StringBuilder sb)
    {
        switch (Kind)
        {
            case ColumnKind.String or ColumnKind.Json: sb.Append("string"); break;
            case ColumnKind.Int32: sb.Append("int"); break;
            case ColumnKind.Int64: sb.Append("bigint"); break;
            case ColumnKind.Double: sb.Append("double"); break;
            case ColumnKind.Bool: sb.Append("boolean"); break;
            case ColumnKind.Timestamp: sb.Append("timestamp"); break;
            case ColumnKind.Binary: sb.Append("binary"); break;
            case ColumnKind.List:
                sb.Append("array<");
                Element!.WriteHive(sb);
                sb.Append('>');
                break;
            case ColumnKind.Map:
                sb.Append("map<");
                Key!.WriteHive(sb);
                sb.Append(',');
                Value!.WriteHive(sb);
                sb.Append('>');
                break;
            case ColumnKind.Struct:
                sb.Append("struct<");
                for (var i = 0; i < Fields.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append(Fields[i].Name).Append(':');
                    Fields[i].Type.WriteHive(sb);
                }
                sb.Append('>');
                break;
            default: throw new InvalidOperationException($"unknown column kind {Kind}");
        }
    }

    private void WriteDuckDb(StringBuilder sb)
    {
        switch (Kind)
        {
            case ColumnKind.String or ColumnKind.Json: sb.Append("VARCHAR"); break;
            case ColumnKind.Int32: sb.Append("INTEGER"); break;
            case ColumnKind.Int64: sb.Append("BIGINT"); break;
            case ColumnKind.Double: sb.Append("DOUBLE"); break;
            case ColumnKind.Bool: sb.Append("BOOLEAN"); break;
            case ColumnKind.Timestamp: sb.Append("TIMESTAMP WITH TIME ZONE"); break;
            case ColumnKind.Binary: sb.Append("BLOB"); break;
            case ColumnKind.List:
                Element!.WriteDuckDb(sb);
                sb.Append("[]");
                break;
            case ColumnKind.Map:
                sb.Append("MAP(");
                Key!.WriteDuckDb(sb);
                sb.Append(", ");
                Value!.WriteDuckDb(sb);
                sb.Append(')');
                break;
            case ColumnKind.Struct:
                sb.Append("STRUCT(");
                for (var i = 0; i < Fields.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    sb.Append('"').Append(Fields[i].Name).Append("\" ");
                    Fields[i].Type.WriteDuckDb(sb);
                }
                sb.Append(')');
                break;
            default: throw new InvalidOperationException($"unknown column kind {Kind}");
        }
    }

    /// <inheritdoc />
    public bool Equals(ColumnType? other) => other is not null && (ReferenceEquals(this, other) || ToDuckDbType() == other.ToDuckDbType() && Kind == other.Kind);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ColumnType);

    /// <inheritdoc />
    public override int GetHashCode() => ToHiveType().GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => ToHiveType();
}
