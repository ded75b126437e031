using System.CommandLine;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Generation;
using CloudInventory.Storage;
using CloudInventory.Text;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv generate</c>: writes the Glue Terraform, Athena DDL, Athena and DuckDB views, table docs and the
/// IAM policy; <c>cloudinv generate iam</c>: only the IAM policy. Both for every table, the tables <c>--tables</c>
/// selects, or the tables a store has (<c>--from-store</c>).
/// </summary>
internal static class TablesGenerateCommand
{
    public static Command Create(Func<TableCatalog> catalog)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "The root to write under (deploy/… and docs/… go below it).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when the files under --out are stale." };
        var specs = TablesCommand.SpecsOption();
        var tables = TablesOption();
        var fromStore = FromStoreOption();
        var command = new Command("generate", "Generate Glue Terraform, Athena DDL, Athena and DuckDB views, Markdown table docs and the IAM policy from the catalog.")
        {
            output, check, specs, tables, fromStore,
        };
        command.Subcommands.Add(CreateIam(catalog));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (TablesCommand.Open(catalog, parse.GetValue(specs), error) is not { } cat) return CliApp.Usage;
            var (ok, selected) = await SelectAsync(cat, parse.GetValue(tables), parse.GetValue(fromStore), error, cancellationToken).ConfigureAwait(false);
            if (!ok) return 2;
            var root = parse.GetValue(output)!.FullName;
            var files = CatalogArtifacts.Generate(cat, selected);
            if (parse.GetValue(check))
            {
                var stale = CatalogArtifacts.Stale(root, files);
                foreach (var path in stale) error.WriteLine($"stale: {path}");
                parse.InvocationConfiguration.Output.WriteLine(stale.Count == 0 ? $"{files.Count} generated files are up to date." : $"{stale.Count} generated files are stale; run `cloudinv generate`.");
                return stale.Count == 0 ? 0 : 1;
            }
            var changed = CatalogArtifacts.Write(root, files);
            parse.InvocationConfiguration.Output.WriteLine($"{files.Count} files for {selected?.Count ?? cat.Tables.Count(t => t.Cloud == Cloud.Aws || t.Origin == TableOrigin.Curated)} tables under {root} ({changed} changed).");
            return 0;
        });
        return command;
    }

    private static Command CreateIam(Func<TableCatalog> catalog)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "The directory to write the policy documents to.", DefaultValueFactory = _ => new DirectoryInfo(CatalogArtifacts.IamDirectory) };
        var specs = TablesCommand.SpecsOption();
        var tables = TablesOption();
        var fromStore = FromStoreOption();
        var command = new Command("iam", "Generate the least-privilege IAM policy (JSON documents within IAM's size limit) for collecting the selected tables (default: every curated table).")
        {
            output, specs, tables, fromStore,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (TablesCommand.Open(catalog, parse.GetValue(specs), error) is not { } cat) return 1;
            var (ok, selected) = await SelectAsync(cat, parse.GetValue(tables), parse.GetValue(fromStore), error, cancellationToken).ConfigureAwait(false);
            if (!ok) return 2;
            var directory = parse.GetValue(output)!.FullName;
            var policy = IamPolicy.For(cat, selected ?? cat.Curated.ToList());
            var files = policy.Files(".");
            try
            {
                Directory.CreateDirectory(directory);
                foreach (var stale in Directory.GetFiles(directory, "cloudinv-read-*.json")) File.Delete(stale);
                foreach (var (name, content) in files) File.WriteAllText(Path.Combine(directory, name), content);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: cannot write the policy to {directory}: {e.Message}; choose another --out");
                return 1;
            }
            parse.InvocationConfiguration.Output.WriteLine($"{policy.Actions.Count} actions in {policy.Documents.Count} policy documents under {directory}.");
            foreach (var line in policy.NotGrantable) parse.InvocationConfiguration.Output.WriteLine($"not grantable by IAM: {line}");
            return 0;
        });
        return command;
    }

    private static Option<string[]> TablesOption() =>
        new("--tables") { Description = "Only these tables: globs over table names, e.g. 'aws_ec2_*' (their parents come along).", AllowMultipleArgumentsPerToken = true };

    private static Option<string?> FromStoreOption() =>
        new("--from-store") { Description = "Only the tables that runs in this store have collected (a directory or s3://bucket/prefix)." };

    // Tables null: nothing was selected (every table). Not ok: the error was written.
    private static async Task<(bool Ok, IReadOnlyList<Table>? Tables)> SelectAsync(TableCatalog catalog, string[]? globs, string? store, TextWriter error, CancellationToken cancellationToken)
    {
        var selected = new List<Table>();
        globs ??= [];
        if (globs.Length == 0 && store is null) return (true, null);
        foreach (var glob in globs)
        {
            var matches = !glob.Contains('*', StringComparison.Ordinal) && !glob.Contains('?', StringComparison.Ordinal) && catalog.Find(glob) is { } exact
                ? [exact]
                : catalog.Tables.Where(t => Glob.IsMatch(t.Name, glob)).ToList();
            if (matches.Count == 0)
            {
                error.WriteLine($"error: --tables '{glob}' matches no table; `cloudinv tables` lists them");
                return (false, null);
            }
            selected.AddRange(matches);
        }
        if (store is not null)
        {
            try
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                var opened = InventoryStores.Open(store);
                try
                {
                    await foreach (var manifest in opened.ListManifestsAsync(DateOnly.MinValue, DateOnly.MaxValue, cancellationToken).ConfigureAwait(false))
                    {
                        foreach (var table in manifest.Tables) names.Add(table.Table);
                    }
                }
                finally
                {
                    (opened as IDisposable)?.Dispose();
                }
                if (names.Count == 0)
                {
                    error.WriteLine($"error: the store '{store}' has no completed run; collect into it first or select tables with --tables");
                    return (false, null);
                }
                // Tables the catalog no longer has (a renamed table in an old run) are left out.
                selected.AddRange(names.Select(catalog.Find).OfType<Table>());
            }
            catch (Exception e) when (e is InventoryStoreException or ArgumentException or IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
            {
                error.WriteLine($"error: cannot read the store '{store}': {e.Message}");
                return (false, null);
            }
        }
        return (true, selected.Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).ToList());
    }
}
