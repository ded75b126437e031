using System.Text;

namespace CloudInventory.Catalog.Generation;

/// <summary>Renders Markdown reference docs: an index of services, and per service its tables with columns, types, key, source API and enrichments.</summary>
public static class TableDocs
{
    private const int MaxTypeLength = 300;

    /// <summary>The index page: every service with its curated and discovered counts.</summary>
    public static string Index(IEnumerable<Table> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var all = tables.ToArray();
        var sb = new StringBuilder(GeneratedHeader.For("<!--").TrimEnd('\n')).Append(" -->\n\n");
        var curated = all.Count(t => t.Origin == TableOrigin.Curated);
        sb.Append("# Cloud Inventory tables\n\n");
        sb.Append($"{all.Length} tables: {curated} curated (AWS from `specs/aws`, Azure reviewed by hand), {all.Length - curated} discovered from the AWS and Azure models. ");
        sb.Append("Every table also has `account_id` (for Azure, the subscription), `region` (`global` for Azure) and `report_time`, and is partitioned by `report_date`. ");
        sb.Append("Azure's discovered tables (one per resource type, `azure_<provider>_<type>`) are generated on request: `cloudinv generate --tables 'azure_*'`.\n\n");
        sb.Append("| service | curated | discovered |\n|---|---:|---:|\n");
        foreach (var g in all.GroupBy(CatalogArtifacts.GroupOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var c = g.Count(t => t.Origin == TableOrigin.Curated);
            var first = g.First();
            sb.Append($"| [{ServiceTitle(first)}]({CatalogArtifacts.DocsPageOf(first)}) | {c} | {g.Count() - c} |\n");
        }
        return sb.ToString();
    }

    /// <summary>The title of a table's docs page: the AWS service (<c>ec2</c>), or the Azure group (<c>azure_compute</c>, <c>azure</c>).</summary>
    public static string ServiceTitle(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Cloud == Cloud.Aws ? table.Service : CatalogArtifacts.GroupOf(table);
    }

    /// <summary>The page of one service's tables.</summary>
    public static string Service(string service, IEnumerable<Table> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var sb = new StringBuilder(GeneratedHeader.For("<!--").TrimEnd('\n')).Append(" -->\n\n");
        sb.Append("# ").Append(service).Append("\n\n[All services](README.md)\n");
        foreach (var table in tables) Append(sb, table);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Table table)
    {
        sb.Append("\n## ").Append(table.Name).Append("\n\n");
        if (table.Azure is { } azure)
        {
            sb.Append("- Source: ").Append(azure.ResourceGraphTable switch
            {
                CloudInventory.Catalog.Internal.AzureTableFactory.ManagementGroupsApi => "the management group API (`GET …/managementGroups/{id}?$expand=ancestors` and `…/descendants`)",
                CloudInventory.Catalog.Internal.AzureTableFactory.SubscriptionsApi => "the subscription API (`GET /subscriptions`): every subscription in the run's scope, whatever its state",
                var graph => $"Resource Graph `{graph}`",
            });
            if (azure.NestedIn is not null) sb.Append($", the items of `properties.{azure.NestedMember}` of each `{azure.NestedIn}` row, as rows of type `{azure.ResourceType}`");
            else if (azure.ResourceGraphTable != CloudInventory.Catalog.Internal.AzureTableFactory.SubscriptionsApi) sb.Append(azure.ResourceType is null ? ", every row" : $", rows of type `{azure.ResourceType}`");
            if (azure.ApiVersion is not null) sb.Append(" (columns from the model of API version `").Append(azure.ApiVersion).Append("`)");
            sb.Append("\n- Primary key: ").Append(string.Join(", ", table.PrimaryKey.Select(k => $"`{k}`"))).Append('\n');
            sb.Append(azure.ResourceGraphTable is CloudInventory.Catalog.Internal.AzureTableFactory.ManagementGroupsApi or CloudInventory.Catalog.Internal.AzureTableFactory.SubscriptionsApi
                ? "- Scope: once per run, for the tenant\n" : "- Scope: once per subscription\n");
            sb.Append("- Origin: ").Append(table.Origin == TableOrigin.Curated ? "curated" : "discovered from Azure's type models").Append('\n');
            if (table.Parent is { } collectedWith) sb.Append("- Collected with `").Append(collectedWith.Table).Append("` (one scan, rows routed by type)\n");
            else if (azure.ResourceType is not null && azure.ResourceGraphTable is not (CloudInventory.Catalog.Internal.AzureTableFactory.ManagementGroupsApi or CloudInventory.Catalog.Internal.AzureTableFactory.SubscriptionsApi))
            {
                sb.Append("- Collected by its own scan of `").Append(azure.ResourceGraphTable).Append("`\n");
            }
            AppendColumns(sb, table);
            return;
        }
        sb.Append("- Source API: `").Append(table.AwsService).Append(':').Append(table.Operation).Append('`');
        if (table.FixedInput.EnumerateObject().Any()) sb.Append(" with `").Append(table.FixedInput.GetRawText()).Append('`');
        if (table.FanOut is { } fan) sb.Append(", once per ").Append(fan.Parameter).Append(" in ").Append(string.Join(", ", fan.Values.Select(v => $"`{v}`")));
        sb.Append("\n- Rows: `").Append(table.RowPath).Append("`\n");
        sb.Append("- Primary key: ").Append(table.PrimaryKey.Count == 0 ? "none" : string.Join(", ", table.PrimaryKey.Select(k => $"`{k}`"))).Append('\n');
        sb.Append("- Scope: ").Append(table.Scope == TableScope.Global ? "global (once per account)" : "regional").Append('\n');
        sb.Append("- Origin: ").Append(table.Origin == TableOrigin.Curated ? $"curated in `{table.SpecFile}`" : "discovered").Append('\n');
        if (table.Parent is { } parent)
        {
            sb.Append("- Child of `").Append(parent.Table).Append("`: ")
              .Append(string.Join(", ", parent.Bindings.Select(b => $"`{b.Parameter}` from `{b.Column}`"))).Append('\n');
        }
        foreach (var e in table.Enrichments)
        {
            sb.Append("- Enrichment `").Append(e.Name).Append("`: `").Append(e.Operation).Append("` per row (")
              .Append(string.Join(", ", e.Bindings.Select(b => $"`{b.Parameter}` from `{b.Column}`"))).Append(')');
            if (e.ResultPath is not null) sb.Append(", keeps `").Append(e.ResultPath).Append('`');
            if (e.Flatten) sb.Append(", flattened into columns");
            if (e.AbsentOn.Count > 0) sb.Append(", none when ").Append(string.Join(" or ", e.AbsentOn.Select(a => $"`{a}`")));
            sb.Append('\n');
        }
        AppendColumns(sb, table);
    }

    private static void AppendColumns(StringBuilder sb, Table table)
    {
        sb.Append("\n| column | type | from |\n|---|---|---|\n");
        foreach (var c in table.Columns)
        {
            var type = c.Type.ToHiveType();
            if (type.Length > MaxTypeLength) type = type[..MaxTypeLength] + "…";
            var from = c.Origin switch
            {
                ColumnOrigin.System => c.Description ?? "",
                _ => $"{c.Origin.ToString().ToLowerInvariant()} `{c.SourcePath}`" + c.Conversion switch
                {
                    ColumnConversion.TagListToMap => " (Key/Value list as a map)",
                    ColumnConversion.JsonText => " (JSON text)",
                    ColumnConversion.UrlEncodedJsonText => " (URL-decoded JSON text)",
                    ColumnConversion.ValueAsJson => " (value as JSON text)",
                    _ => "",
                },
            };
            sb.Append("| `").Append(c.Name).Append(table.PrimaryKey.Contains(c.Name) ? "` (key)" : "`").Append(" | `").Append(Escape(type)).Append("` | ").Append(Escape(from)).Append(" |\n");
        }
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
