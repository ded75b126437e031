using System.Text;

namespace CloudInventory.Catalog.Generation;

/// <summary>
/// Renders Athena <c>CREATE EXTERNAL TABLE</c> statements equivalent to the Glue Terraform, for
/// those who manage the catalog with SQL: per table its files relation (<c>files_&lt;table&gt;</c>, which the
/// standard views read), and <c>cloudinv_runs</c> over the run manifests. Replace <c>${store_location}</c> with the store root.
/// </summary>
public static class AthenaDdl
{
    /// <summary>The token that stands for the store root in the generated DDL (replaced when deploying).</summary>
    public const string StoreLocation = "${store_location}";

    /// <summary>The statements of some tables, in order.</summary>
    public static string Render(IEnumerable<Table> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var sb = new StringBuilder(GeneratedHeader.For("--"));
        sb.Append("-- Replace ").Append(StoreLocation).Append(" with the store root, e.g. s3://my-bucket/inventory.\n");
        foreach (var table in tables) Append(sb, table);
        return sb.ToString();
    }

    /// <summary>The statement of the <c>cloudinv_runs</c> table over the run manifests.</summary>
    public static string RenderRuns()
    {
        var sb = new StringBuilder(GeneratedHeader.For("--"));
        sb.Append("-- Replace ").Append(StoreLocation).Append(" with the store root, e.g. s3://my-bucket/inventory.\n\n");
        return sb.Append(SqlDialect.Athena.RunsTableStatement(StoreLocation)).ToString();
    }

    private static void Append(StringBuilder sb, Table table)
    {
        var location = $"{StoreLocation}/{GlueTerraform.StorePath(table)}/";
        sb.Append("\nCREATE EXTERNAL TABLE IF NOT EXISTS `").Append(StandardViews.FilesRelation(table)).Append("` (\n");
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var c = table.Columns[i];
            sb.Append("  `").Append(c.Name).Append("` ").Append(HiveType(c.Type));
            if (GlueTerraform.Comment(c) is { } comment) sb.Append(" COMMENT ").Append(Literal(comment));
            sb.Append(i < table.Columns.Count - 1 ? ",\n" : "\n");
        }
        sb.Append(")\n");
        sb.Append("COMMENT ").Append(Literal(GlueTerraform.Description(table))).Append('\n');
        sb.Append("PARTITIONED BY (`report_date` string)\n");
        sb.Append("STORED AS PARQUET\n");
        AppendLocation(sb, location, "  'parquet.compression'='ZSTD',\n");
    }

    // The location and the partition projection on report_date (so Athena needs no crawler and no partition maintenance).
    internal static void AppendLocation(StringBuilder sb, string location, string properties = "")
    {
        sb.Append("LOCATION '").Append(location).Append("'\n");
        sb.Append("TBLPROPERTIES (\n");
        sb.Append(properties);
        sb.Append("  'projection.enabled'='true',\n");
        sb.Append("  'projection.report_date.type'='date',\n");
        sb.Append("  'projection.report_date.format'='yyyy-MM-dd',\n");
        sb.Append("  'projection.report_date.range'='NOW-3YEARS,NOW',\n");
        sb.Append("  'projection.report_date.interval'='1',\n");
        sb.Append("  'projection.report_date.interval.unit'='DAYS',\n");
        sb.Append("  'storage.location.template'='").Append(location).Append("report_date=${report_date}/'\n");
        sb.Append(");\n");
    }

    // Struct field names are quoted: DDL reserves words such as date, end or order.
    internal static string HiveType(ColumnType type) => type.Kind switch
    {
        ColumnKind.Struct => "struct<" + string.Join(",", type.Fields.Select(f => $"`{f.Name}`:{HiveType(f.Type)}")) + ">",
        ColumnKind.List => $"array<{HiveType(type.Element!)}>",
        ColumnKind.Map => $"map<{HiveType(type.Key!)},{HiveType(type.Value!)}>",
        _ => type.ToHiveType(),
    };

    internal static string Literal(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
