namespace CloudInventory.Catalog.Generation;

/// <summary>
/// Every file generated from the catalog, by repository-relative path: Glue Terraform under
/// <c>deploy/glue</c>, Athena DDL and views under <c>deploy/athena</c>, DuckDB views under
/// <c>deploy/duckdb</c>, reference docs under <c>docs/tables</c>. One file per service keeps
/// diffs readable when a model changes. The IAM policy for the curated tables (or the selected ones) goes
/// under <c>deploy/iam</c>, and the StackSet template of the member role that carries it under <c>deploy/stackset</c>.
/// <c>cloudinv.*</c> holds the run manifests' table and the run views
/// the standard views join on (create them first); <c>cloudinv_resources.sql</c> the footprint view across clouds over
/// the curated tables (or the selected ones).
/// </summary>
public static class CatalogArtifacts
{
    /// <summary>The directories the generator owns (it replaces their contents).</summary>
    public static IReadOnlyList<string> Directories { get; } = ["deploy/glue", "deploy/athena/tables", "deploy/athena/views", "deploy/duckdb/views", "docs/tables", IamDirectory, "deploy/stackset"];

    /// <summary>Where the IAM policy documents go, relative to the root.</summary>
    public const string IamDirectory = "deploy/iam";

    /// <summary>
    /// Generates every file, sorted by path: for every table of the catalog but Azure's discovered per-type tables
    /// (thousands, generated when selected) — the IAM policy for the curated ones —, or, when <paramref name="selected"/>
    /// is given, for those tables only (and the IAM policy for collecting them). Files are per group (<see cref="GroupOf"/>).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Generate(TableCatalog catalog, IReadOnlyList<Table>? selected = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var generated = selected ?? catalog.Tables.Where(t => t.Cloud == Cloud.Aws || t.Origin == TableOrigin.Curated).ToList();
        var files = new List<KeyValuePair<string, string>>
        {
            new("deploy/glue/variables.tf", GlueTerraform.Variables()),
            new("docs/tables/README.md", TableDocs.Index(generated)),
            new("deploy/glue/cloudinv.tf", GlueTerraform.RenderRuns()),
            new("deploy/athena/tables/cloudinv.sql", AthenaDdl.RenderRuns()),
            new("deploy/athena/views/cloudinv.sql", StandardViews.RenderRuns(SqlDialect.Athena)),
            new("deploy/duckdb/views/cloudinv.sql", StandardViews.RenderRuns(SqlDialect.DuckDb)),
        };
        // The footprint view over the tables collected by default (the curated ones of both clouds), or over those selected.
        var footprint = selected ?? generated.Where(t => t.Origin == TableOrigin.Curated).ToList();
        files.Add(new("deploy/athena/views/cloudinv_resources.sql", StandardViews.RenderResources(footprint, SqlDialect.Athena)));
        files.Add(new("deploy/duckdb/views/cloudinv_resources.sql", StandardViews.RenderResources(footprint, SqlDialect.DuckDb)));
        var policy = IamPolicy.For(catalog, selected ?? catalog.Curated.ToList());
        files.AddRange(policy.Files(IamDirectory));
        files.Add(new("deploy/stackset/member-role.template.json", MemberRoleTemplate.Render(policy)));
        foreach (var group in generated.GroupBy(GroupOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var name = group.Key;
            var tables = group.ToArray();
            files.Add(new($"deploy/glue/{name}.tf", GlueTerraform.Render(tables)));
            files.Add(new($"deploy/athena/tables/{name}.sql", AthenaDdl.Render(tables)));
            files.Add(new($"deploy/athena/views/{name}.sql", StandardViews.Render(tables, SqlDialect.Athena)));
            files.Add(new($"deploy/duckdb/views/{name}.sql", StandardViews.Render(tables, SqlDialect.DuckDb)));
            files.Add(new($"docs/tables/{DocsPageOf(tables[0])}", TableDocs.Service(TableDocs.ServiceTitle(tables[0]), tables)));
        }
        return files.OrderBy(f => f.Key, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The group a table's generated files belong to: its cloud and service, <c>aws_ec2</c>, <c>azure_compute</c>, or
    /// <c>azure</c> for Azure's provider-neutral tables.
    /// </summary>
    public static string GroupOf(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Service.Length == 0 ? Table.CloudName(table.Cloud) : $"{Table.CloudName(table.Cloud)}_{table.Service}";
    }

    /// <summary>The docs page of a table's group: <c>ec2.md</c> for AWS services, <c>azure_compute.md</c> for Azure.</summary>
    public static string DocsPageOf(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return (table.Cloud == Cloud.Aws ? table.Service : GroupOf(table)) + ".md";
    }

    /// <summary>Writes the files under <paramref name="root"/>, removing files the generator no longer makes; returns how many files changed.</summary>
    public static int Write(string root, IReadOnlyList<KeyValuePair<string, string>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var changed = 0;
        var wanted = files.Select(f => Path.GetFullPath(Path.Combine(root, f.Key))).ToHashSet(StringComparer.Ordinal);
        foreach (var dir in Directories.Select(d => Path.Combine(root, d)).Where(Directory.Exists))
        {
            foreach (var stale in Directory.GetFiles(dir).Where(f => !wanted.Contains(Path.GetFullPath(f))))
            {
                File.Delete(stale);
                changed++;
            }
        }
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            if (File.Exists(full) && File.ReadAllText(full) == content) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            changed++;
        }
        return changed;
    }

    /// <summary>The paths under <paramref name="root"/> that differ from what the generator makes (changed, missing or extra).</summary>
    public static IReadOnlyList<string> Stale(string root, IReadOnlyList<KeyValuePair<string, string>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var stale = new List<string>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, content) in files)
        {
            wanted.Add(path);
            var full = Path.Combine(root, path);
            if (!File.Exists(full) || File.ReadAllText(full) != content) stale.Add(path);
        }
        foreach (var dir in Directories.Where(d => Directory.Exists(Path.Combine(root, d))))
        {
            stale.AddRange(Directory.GetFiles(Path.Combine(root, dir)).Select(f => dir + "/" + Path.GetFileName(f)).Where(p => !wanted.Contains(p)));
        }
        return stale;
    }
}
