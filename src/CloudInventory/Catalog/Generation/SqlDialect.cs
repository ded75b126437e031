using System.Text;

namespace CloudInventory.Catalog.Generation;

/// <summary>
/// The few places where the standard views (<see cref="StandardViews"/>) are written differently for Athena (Trino)
/// and DuckDB: the hidden column that names a row's file, how a view lists a table's columns, how a row without a key
/// is told apart, how the run manifests' arrays are unnested, and how the manifests become the <c>cloudinv_runs</c> table.
/// Everything else in the views is the same text in both.
/// </summary>
public sealed class SqlDialect
{
    private readonly bool _athena;

    private SqlDialect(string name, bool athena)
    {
        Name = name;
        _athena = athena;
    }

    /// <summary>Athena (Trino) over the generated Glue tables.</summary>
    public static SqlDialect Athena { get; } = new("athena", athena: true);

    /// <summary>DuckDB over the Parquet store.</summary>
    public static SqlDialect DuckDb { get; } = new("duckdb", athena: false);

    /// <summary>The dialect's name (<c>athena</c>, <c>duckdb</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// The column of a table's files relation that holds the path of the row's file: Athena's hidden <c>"$path"</c>
    /// (the full <c>s3://</c> URI), DuckDB's <c>filename</c> (from <c>read_parquet(..., filename = true)</c>).
    /// </summary>
    public string FileColumn => _athena ? "\"$path\"" : "\"filename\"";

    /// <summary>
    /// The select list of a table's columns read from <paramref name="alias"/>, with <c>report_date</c> when asked.
    /// Athena lists the catalog's columns; DuckDB takes every column of the files but <paramref name="excluded"/>
    /// (so files of older schemas mix, and a column no file has yet is not an error).
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="alias">The relation alias the columns come from.</param>
    /// <param name="withReportDate">Whether the alias's <c>report_date</c> is part of the list.</param>
    /// <param name="excluded">Columns the relation has beyond the table's (DuckDB excludes them by name).</param>
    public string SelectList(Table table, string alias, bool withReportDate, params string[] excluded)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(excluded);
        if (_athena)
        {
            var columns = table.Columns.Select(c => alias + "." + StandardViews.Id(c.Name));
            if (withReportDate) columns = columns.Append(alias + "." + StandardViews.Id(Table.ReportDate.Name));
            return string.Join(", ", columns);
        }
        var drop = withReportDate ? excluded : excluded.Append(Table.ReportDate.Name);
        var list = drop.Distinct(StringComparer.Ordinal).Select(StandardViews.Id).ToArray();
        return list.Length == 0 ? alias + ".*" : $"{alias}.* EXCLUDE ({string.Join(", ", list)})";
    }

    /// <summary>
    /// An expression that tells apart the rows of a table without a key by all their values but the time columns:
    /// Trino cannot partition by maps, so Athena compares the row's JSON text; DuckDB hashes the row.
    /// </summary>
    public string RowIdentity(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!_athena) return "hash(row(*COLUMNS(* EXCLUDE (\"report_time\", \"report_date\"))))";
        var columns = table.Columns.Where(c => c.Name is not "report_time").Select(c => StandardViews.Id(c.Name));
        return $"json_format(CAST(ROW({string.Join(", ", columns)}) AS JSON))";
    }

    /// <summary>
    /// The rows of one array of the run manifests (<c>tables</c> or <c>files</c>) with the run's columns:
    /// Athena unnests the array of rows into columns, DuckDB unnests the list of structs into one struct column.
    /// </summary>
    /// <param name="array">The array column of <c>cloudinv_runs</c>.</param>
    /// <param name="fields">The struct's fields, in order.</param>
    /// <param name="select">The select list, naming the element's fields as <c>e.&lt;field&gt;</c>.</param>
    internal string Unnest(string array, IReadOnlyList<string> fields, string select) => _athena
        ? $"SELECT {select}\nFROM {StandardViews.Id(StandardViews.RunsTable)} r\nCROSS JOIN UNNEST(r.{StandardViews.Id(array)}) AS e({string.Join(", ", fields.Select(StandardViews.Id))})"
        : $"SELECT {select}\nFROM (SELECT *, unnest({StandardViews.Id(array)}) AS e FROM {StandardViews.Id(StandardViews.RunsTable)}) r";

    /// <summary>The statement that makes the run manifests under <paramref name="location"/> the <c>cloudinv_runs</c> relation.</summary>
    internal string RunsTableStatement(string location)
    {
        var columns = StandardViews.RunsColumns;
        if (_athena)
        {
            var sb = new StringBuilder("CREATE EXTERNAL TABLE IF NOT EXISTS `").Append(StandardViews.RunsTable).Append("` (\n");
            sb.Append(string.Join(",\n", columns.Select(c => $"  `{c.Name}` {AthenaDdl.HiveType(c.Type)} COMMENT {AthenaDdl.Literal(c.Description!)}")));
            sb.Append("\n)\nCOMMENT ").Append(AthenaDdl.Literal(StandardViews.RunsDescription)).Append('\n');
            sb.Append("PARTITIONED BY (`report_date` string)\n");
            sb.Append("ROW FORMAT SERDE '").Append(StandardViews.RunsSerDe).Append("'\n");
            sb.Append("STORED AS INPUTFORMAT '").Append(StandardViews.RunsInputFormat).Append("'\n");
            sb.Append("OUTPUTFORMAT '").Append(StandardViews.RunsOutputFormat).Append("'\n");
            AthenaDdl.AppendLocation(sb, $"{location}/{StandardViews.RunsPath}/");
            return sb.ToString();
        }
        var struct_ = string.Join(", ", columns.Select(c => $"'{c.Name}': '{c.Type.ToDuckDbType().Replace("'", "''", StringComparison.Ordinal)}'"));
        return $"CREATE OR REPLACE VIEW {StandardViews.Id(StandardViews.RunsTable)} AS\n" +
            $"SELECT * FROM read_json('{location}/{StandardViews.RunsPath}/report_date=*/*.json', columns = {{{struct_}}}, hive_partitioning = true, hive_types = {{'report_date': DATE}});\n";
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
