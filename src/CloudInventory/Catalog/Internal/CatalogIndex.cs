using System.Text;

namespace CloudInventory.Catalog.Internal;

/// <summary>
/// The prebuilt catalog index: one line per table of the default catalog (name, service, origin, scope, source API,
/// parent, spec file, cloud, source), embedded in the assembly so that listing tables and opening one curated table need not build
/// every table (building them all parses every spec and, for discovered tables, every AWS model; Azure's tables need
/// the whole Azure model bundle).
/// The committed file (<c>src/CloudInventory/Catalog/catalog-index.tsv</c>) is generated; a test fails when it is stale.
/// </summary>
internal static class CatalogIndex
{
    public const string ResourceName = "CloudInventory.catalog-index.tsv";

    public const string Header =
        "# Generated from the specs and the AWS and Azure models: the catalog index (name, service, origin, scope, aws_service, operation, parent, spec_file, cloud, source).\n" +
        "# Do not edit. Refresh: CLOUDINV_REFRESH_CATALOG_INDEX=1 dotnet test tests/CloudInventory.Tests --filter CatalogIndexTests\n";

    /// <summary>The index text of a catalog's tables.</summary>
    public static string Render(IEnumerable<Table> tables)
    {
        var text = new StringBuilder(Header);
        foreach (var t in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            text.Append(t.Name).Append('\t').Append(t.Service).Append('\t')
                .Append(t.Origin == TableOrigin.Curated ? "curated" : "discovered").Append('\t')
                .Append(t.Scope == TableScope.Global ? "global" : "regional").Append('\t')
                .Append(t.AwsService).Append('\t').Append(t.Operation).Append('\t')
                .Append(t.Parent?.Table ?? "").Append('\t').Append(t.SpecFile ?? "").Append('\t')
                .Append(t.Cloud == Cloud.Aws ? "aws" : "azure").Append('\t').Append(t.Cloud == Cloud.Aws ? "" : t.Source).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Reads an index; null when the text is not one (so the caller builds the catalog instead).</summary>
    public static IReadOnlyList<CatalogEntry>? Parse(string text)
    {
        var entries = new List<CatalogEntry>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split('\t');
            if (f.Length != 10) return null;
            entries.Add(new CatalogEntry(f[0], f[1], f[2] == "curated" ? TableOrigin.Curated : TableOrigin.Discovered, f[3] == "global" ? TableScope.Global : TableScope.Regional,
                f[4], f[5], f[6].Length == 0 ? null : f[6], f[7].Length == 0 ? null : f[7], f[8] == "azure" ? Cloud.Azure : Cloud.Aws, f[9].Length == 0 ? null : f[9]));
        }
        return entries.Count == 0 ? null : entries;
    }

    /// <summary>The index embedded in this assembly, or null when there is none.</summary>
    public static IReadOnlyList<CatalogEntry>? Embedded()
    {
        using var stream = typeof(CatalogIndex).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
