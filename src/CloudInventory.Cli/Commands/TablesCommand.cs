using System.CommandLine;
using System.Text.RegularExpressions;
using CloudInventory.Aws.Models;
using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv tables</c>: lists the catalog's tables with counts per service and totals.</summary>
internal static class TablesCommand
{
    /// <summary>Adds the catalog commands (<c>tables</c>, <c>describe</c>, <c>generate</c>) to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(Create(() => TableCatalog.Default));
        root.Subcommands.Add(DescribeCommand.Create(() => TableCatalog.Default));
        root.Subcommands.Add(TablesGenerateCommand.Create(() => TableCatalog.Default));
    }

    public static Command Create(Func<TableCatalog> catalog)
    {
        var filter = new Option<string?>("--filter") { Description = "Only tables whose name matches this glob (* and ?), e.g. 'aws_ec2_*' or '*bucket*'." };
        var curated = new Option<bool>("--curated") { Description = "Only curated tables (AWS's from specs/aws, Azure's reviewed types)." };
        var discovered = new Option<bool>("--discovered") { Description = "Only tables discovered from the AWS or Azure models." };
        var specs = SpecsOption();
        var settings = new CommandSettings().WithFormats(QueryResultWriter.RowFormats);
        var command = new Command("tables", "List the tables of the catalog, with counts per service and totals.") { filter, curated, discovered, specs };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var values = settings.Resolve(parse);
            if (parse.GetValue(curated) && parse.GetValue(discovered)) throw new CliUsageException("--curated and --discovered exclude each other; give at most one");
            if (Open(catalog, parse.GetValue(specs), parse.InvocationConfiguration.Error) is not { } cat) return CliApp.Usage;
            StartupTrace.Mark("catalog loaded");
            var tables = Select(cat.Entries, parse.GetValue(filter), parse.GetValue(curated), parse.GetValue(discovered));
            StartupTrace.Mark("tables selected");
            if (values.Format == "table")
            {
                Write(output, tables);
            }
            else
            {
                QueryResultWriter.WriteRows(["name", "service", "origin", "scope", "api", "parent"], tables.Select(t => new object?[]
                {
                    t.Name, t.Service, t.Origin == TableOrigin.Curated ? "curated" : "discovered", t.Scope == TableScope.Global ? "global" : "regional",
                    t.SourceText, t.ParentTable,
                }).ToArray(), values.Format, output, values.Terminal);
            }
            return CliApp.Done;
        });
        return command;
    }

    /// <summary>The <c>--specs</c> option: a directory of spec files to use instead of the embedded ones.</summary>
    internal static Option<DirectoryInfo?> SpecsOption() =>
        new("--specs") { Description = "Read the curated specs from this directory (*.yaml) instead of the embedded ones." };

    /// <summary>Loads the catalog (from <paramref name="specs"/> when given), or writes why it cannot be loaded and returns null.</summary>
    internal static TableCatalog? Open(Func<TableCatalog> catalog, DirectoryInfo? specs, TextWriter error)
    {
        try
        {
            return specs is null ? catalog() : TableCatalog.LoadDirectory(AwsModelBundle.Default, specs.FullName);
        }
        catch (CatalogException e)
        {
            error.WriteLine($"error: invalid catalog: {CliApp.OneLine(e.Message)}");
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            error.WriteLine($"error: no such specs directory: {specs?.FullName}");
            return null;
        }
    }

    internal static IReadOnlyList<CatalogEntry> Select(IReadOnlyList<CatalogEntry> tables, string? glob, bool curatedOnly, bool discoveredOnly)
    {
        var pattern = glob is null ? null : CloudInventory.Text.Glob.ToRegex(glob);
        return tables.Where(t => pattern is null || pattern.IsMatch(t.Name))
            .Where(t => !curatedOnly || t.Origin == TableOrigin.Curated)
            .Where(t => !discoveredOnly || t.Origin == TableOrigin.Discovered)
            .ToArray();
    }

    private static void Write(TextWriter output, IReadOnlyList<CatalogEntry> tables)
    {
        foreach (var group in tables.GroupBy(GroupOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var c = group.Count(t => t.Origin == TableOrigin.Curated);
            output.WriteLine($"{group.Key} ({c} curated, {group.Count() - c} discovered)");
            foreach (var t in group)
            {
                var kind = t.Origin == TableOrigin.Curated ? "curated   " : "discovered";
                var scope = t.Scope == TableScope.Global ? "global  " : "regional";
                var parent = t.ParentTable is null ? "" : $" (child of {t.ParentTable})";
                output.WriteLine($"  {t.Name,-70} {kind} {scope} {t.SourceText}{parent}");
            }
        }
        var curated = tables.Count(t => t.Origin == TableOrigin.Curated);
        var services = tables.Select(GroupOf).Distinct(StringComparer.Ordinal).Count();
        output.WriteLine();
        output.WriteLine($"{tables.Count} tables in {services} services: {curated} curated, {tables.Count - curated} discovered.");
    }

    // AWS services as they are; Azure resource providers under azure/ (azure/compute), the provider-neutral tables as azure.
    private static string GroupOf(CatalogEntry t) => t.Cloud == Cloud.Aws ? t.Service : t.Service.Length == 0 ? "azure" : "azure/" + t.Service;
}
