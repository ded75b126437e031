using System.Text;
using CloudInventory.Storage;

namespace CloudInventory.Catalog.Generation;

/// <summary>
/// Renders Glue catalog tables as Terraform (<c>aws_glue_catalog_table</c>): external Parquet
/// tables over the store layout, Hive column types, and partition projection on <c>report_date</c>
/// so Athena needs no crawler and no partition maintenance.
/// </summary>
public static class GlueTerraform
{
    /// <summary>The Terraform variables the tables use (the Glue database and the store location).</summary>
    public static string Variables() => GeneratedHeader.For("#") + """

        variable "glue_database" {
          description = "The Glue database that holds the Cloud Inventory tables."
          type        = string
          default     = "cloud_inventory"
        }

        variable "store_location" {
          description = "The store root, e.g. s3://my-bucket/inventory (no trailing slash)."
          type        = string
        }

        """;

    /// <summary>The <c>aws_glue_catalog_table</c> resources of some tables, in order.</summary>
    public static string Render(IEnumerable<Table> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var sb = new StringBuilder(GeneratedHeader.For("#"));
        foreach (var table in tables) Append(sb, table);
        return sb.ToString();
    }

    /// <summary>The store-relative directory of a table, e.g. <c>aws/ec2/instances</c> (<see cref="StoreLayout.TableFolder"/>).</summary>
    public static string StorePath(Table table) => StoreLayout.TableFolder(table);

    /// <summary>The <c>cloudinv_runs</c> table over the run manifests (indented JSON, read with the Amazon Ion SerDe).</summary>
    public static string RenderRuns()
    {
        var sb = new StringBuilder(GeneratedHeader.For("#"));
        Append(sb, StandardViews.RunsTable, StandardViews.RunsTable, StandardViews.RunsDescription, StandardViews.RunsPath, [("EXTERNAL", "TRUE"), ("classification", "json")],
            StandardViews.RunsSerDe, StandardViews.RunsInputFormat, StandardViews.RunsOutputFormat, [], StandardViews.RunsColumns);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Table table) =>
        Append(sb, table.Name, StandardViews.FilesRelation(table), Description(table), StorePath(table),
            [("EXTERNAL", "TRUE"), ("classification", "parquet"), ("parquet.compression", "ZSTD")],
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat", [("serialization.format", "1")], table.Columns);

    private static void Append(StringBuilder sb, string resource, string name, string description, string path, (string Key, string Value)[] tableParameters,
        string serde, string inputFormat, string outputFormat, (string Key, string Value)[] serdeParameters, IReadOnlyList<Column> columns)
    {
        var location = $"${{var.store_location}}/{path}/";
        sb.Append('\n');
        sb.Append("resource \"aws_glue_catalog_table\" \"").Append(resource).Append("\" {\n");
        sb.Append("  name          = \"").Append(name).Append("\"\n");
        sb.Append("  database_name = var.glue_database\n");
        sb.Append("  table_type    = \"EXTERNAL_TABLE\"\n");
        sb.Append("  description   = ").Append(Quote(description)).Append('\n');
        sb.Append("\n  parameters = {\n");
        (string Key, string Value)[] parameters =
        [
            .. tableParameters,
            ("projection.enabled", "true"),
            ("projection.report_date.type", "date"),
            ("projection.report_date.format", "yyyy-MM-dd"),
            ("projection.report_date.range", "NOW-3YEARS,NOW"),
            ("projection.report_date.interval", "1"),
            ("projection.report_date.interval.unit", "DAYS"),
            ("storage.location.template", location + "report_date=$${report_date}/"),
        ];
        var width = parameters.Max(p => p.Key.Length) + 2;
        foreach (var (key, value) in parameters)
        {
            sb.Append("    ").Append(('"' + key + '"').PadRight(width)).Append(" = \"").Append(value).Append("\"\n");
        }
        sb.Append("  }\n");
        sb.Append("\n  partition_keys {\n");
        sb.Append("    name    = \"").Append(Table.ReportDate.Name).Append("\"\n");
        sb.Append("    type    = \"string\"\n");
        sb.Append("    comment = ").Append(Quote(Table.ReportDate.Description!)).Append('\n');
        sb.Append("  }\n");
        sb.Append("\n  storage_descriptor {\n");
        sb.Append("    location      = \"").Append(location).Append("\"\n");
        sb.Append("    input_format  = \"").Append(inputFormat).Append("\"\n");
        sb.Append("    output_format = \"").Append(outputFormat).Append("\"\n");
        sb.Append("\n    ser_de_info {\n");
        sb.Append("      serialization_library = \"").Append(serde).Append("\"\n");
        if (serdeParameters.Length > 0)
        {
            sb.Append("      parameters = {\n");
            foreach (var (key, value) in serdeParameters) sb.Append("        \"").Append(key).Append("\" = \"").Append(value).Append("\"\n");
            sb.Append("      }\n");
        }
        sb.Append("    }\n");
        foreach (var column in columns)
        {
            sb.Append("\n    columns {\n");
            sb.Append("      name = \"").Append(column.Name).Append("\"\n");
            sb.Append("      type = ").Append(Quote(column.Type.ToHiveType())).Append('\n');
            if (Comment(column) is { } comment) sb.Append("      comment = ").Append(Quote(comment)).Append('\n');
            sb.Append("    }\n");
        }
        sb.Append("  }\n}\n");
    }

    internal static string Description(Table table)
    {
        var text = (table.Azure is { } azure ? azure.ToString() : $"{table.AwsService}:{table.Operation} rows {table.RowPath}")
            + (table.PrimaryKey.Count > 0 ? $"; key {string.Join(", ", table.PrimaryKey)}" : "")
            + (table.Enrichments.Count > 0 ? $"; enriched by {string.Join(", ", table.Enrichments.Select(e => e.Operation).Distinct())}" : "")
            + (table.Origin == TableOrigin.Discovered ? " (discovered)" : "");
        return text.Length <= 2048 ? text : text[..2045] + "...";
    }

    // Glue limits column comments to 255 characters.
    internal static string? Comment(Column column)
    {
        var text = column.Description ?? column.Conversion switch
        {
            ColumnConversion.TagListToMap => "Tags as a map (from a Key/Value list).",
            ColumnConversion.JsonText or ColumnConversion.UrlEncodedJsonText or ColumnConversion.ValueAsJson => "JSON text.",
            _ => null,
        };
        return text is null ? null : text.Length <= 255 ? text : text[..252] + "...";
    }

    /// <summary>An HCL string literal (escapes quotes, backslashes, control characters and template sequences).</summary>
    internal static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '$' or '%' when i + 1 < value.Length && value[i + 1] == '{': sb.Append(c).Append(c); break;
                default:
                    if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
