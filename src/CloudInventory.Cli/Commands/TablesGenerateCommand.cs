using System.CommandLine;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Generation;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv generate</c>: writes the Glue Terraform, Athena DDL, Athena and DuckDB views and table docs.</summary>
internal static class TablesGenerateCommand
{
    public static Command Create(Func<TableCatalog> catalog)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "The root to write under (deploy/… and docs/… go below it).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when the files under --out are stale." };
        var specs = TablesCommand.SpecsOption();
        var command = new Command("generate", "Generate Glue Terraform, Athena DDL, Athena and DuckDB views, and Markdown table docs from the catalog.") { output, check, specs };
        command.SetAction(parse =>
        {
            if (TablesCommand.Open(catalog, parse.GetValue(specs), parse.InvocationConfiguration.Error) is not { } cat) return CliApp.Usage;
            var root = parse.GetValue(output)!.FullName;
            var files = CatalogArtifacts.Generate(cat);
            if (parse.GetValue(check))
            {
                var stale = CatalogArtifacts.Stale(root, files);
                foreach (var path in stale) parse.InvocationConfiguration.Error.WriteLine($"stale: {path}");
                parse.InvocationConfiguration.Output.WriteLine(stale.Count == 0 ? $"{files.Count} generated files are up to date." : $"{stale.Count} generated files are stale; run `cloudinv generate`.");
                return stale.Count == 0 ? 0 : 1;
            }
            var changed = CatalogArtifacts.Write(root, files);
            parse.InvocationConfiguration.Output.WriteLine($"{files.Count} files for {cat.Tables.Count} tables under {root} ({changed} changed).");
            return 0;
        });
        return command;
    }
}
