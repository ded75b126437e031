using System.Text;

namespace CloudInventory.Catalog.Generation;

/// <summary>
/// Renders the standard views of a table in Athena (Trino) or DuckDB SQL:
/// <c>current_&lt;table&gt;</c> (the latest run), <c>daily_&lt;table&gt;</c> (the last run of each day),
/// <c>distinct_&lt;table&gt;</c> (the latest row per account, region and primary key across all
/// history) and <c>daily_distinct_&lt;table&gt;</c> (the same per day). The views read the base
/// table named after the table (the Glue table in Athena; in DuckDB a view over the store's Parquet
/// files). A table without a primary key gets no distinct views in Athena; in DuckDB its rows are
/// told apart by all their values.
/// </summary>
public static class ViewSql
{
    /// <summary>The view name prefixes, in the order the views are written.</summary>
    public static IReadOnlyList<string> Prefixes { get; } = ["current_", "daily_", "distinct_", "daily_distinct_"];

    /// <summary>The views of some tables in one dialect, in order.</summary>
    public static string Render(IEnumerable<Table> tables, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var sb = new StringBuilder(GeneratedHeader.For("--"));
        foreach (var table in tables)
        {
            sb.Append('\n');
            foreach (var prefix in Prefixes)
            {
                if (View(table, prefix, dialect) is { } body)
                {
                    sb.Append("CREATE OR REPLACE VIEW ").Append(Id(prefix + table.Name)).Append(" AS\n").Append(body).Append(";\n");
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>The SELECT of one view, or null when the dialect cannot express it for this table.</summary>
    public static string? View(Table table, string prefix, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(table);
        var t = Id(table.Name);
        var identity = Identity(table);
        return prefix switch
        {
            "current_" => $"SELECT * FROM {t}\nWHERE \"report_time\" = (SELECT max(\"report_time\") FROM {t})",
            "daily_" => Latest(table, dialect, "max(\"report_time\") OVER (PARTITION BY \"report_date\")", "= \"report_time\""),
            "distinct_" when identity is not null || dialect == SqlDialect.DuckDb =>
                Latest(table, dialect, $"row_number() OVER (PARTITION BY {identity ?? AllValues(table)} ORDER BY \"report_date\" DESC, \"report_time\" DESC)", "= 1"),
            "daily_distinct_" when identity is not null || dialect == SqlDialect.DuckDb =>
                Latest(table, dialect, $"row_number() OVER (PARTITION BY \"report_date\", {identity ?? AllValues(table)} ORDER BY \"report_time\" DESC)", "= 1"),
            "distinct_" or "daily_distinct_" => null,
            _ => throw new ArgumentException($"unknown view prefix '{prefix}'", nameof(prefix)),
        };
    }

    // DuckDB filters on a window with QUALIFY; Trino needs a subquery and the columns listed.
    private static string Latest(Table table, SqlDialect dialect, string window, string comparison)
    {
        if (dialect == SqlDialect.DuckDb) return $"SELECT * FROM {Id(table.Name)}\nQUALIFY {window} {comparison}";
        var columns = string.Join(", ", table.Columns.Select(c => Id(c.Name)).Append(Id(Table.ReportDate.Name)));
        return $"SELECT {columns}\nFROM (SELECT *, {window} AS \"_window\" FROM {Id(table.Name)})\nWHERE \"_window\" {comparison}";
    }

    // Without a key, a row is told apart by all its values (DuckDB can partition by nested types; Trino cannot by maps).
    private static string AllValues(Table table) =>
        string.Join(", ", table.Columns.Where(c => c.Name != "report_time").Select(c => Id(c.Name)));

    // The columns that identify a row: account, region and the primary key. A curated table with an
    // empty key has one row per account and region; a discovered table with no key has no identity.
    private static string? Identity(Table table)
    {
        if (table.PrimaryKey.Count == 0 && table.Origin == TableOrigin.Discovered) return null;
        return string.Join(", ", new[] { "account_id", "region" }.Concat(table.PrimaryKey).Distinct(StringComparer.Ordinal)
            .Select(k => string.Join('.', k.Split('.').Select(Id))));
    }

    private static string Id(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
