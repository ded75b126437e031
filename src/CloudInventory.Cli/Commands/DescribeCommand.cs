using System.CommandLine;
using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv describe &lt;table&gt;</c>: the columns, types, primary key, source API and enrichments of one table.</summary>
internal static class DescribeCommand
{
    public static Command Create(Func<TableCatalog> catalog)
    {
        var name = new Argument<string>("table") { Description = "The table name, e.g. aws_ec2_instances." };
        var specs = TablesCommand.SpecsOption();
        var settings = new CommandSettings().WithFormats(QueryResultWriter.RowFormats);
        var command = new Command("describe", "Show a table's columns, types, primary key, source API and enrichments.") { name, specs };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var values = settings.Resolve(parse);
            if (TablesCommand.Open(catalog, parse.GetValue(specs), parse.InvocationConfiguration.Error) is not { } cat) return CliApp.Usage;
            var requested = parse.GetValue(name)!;
            var table = cat.Find(requested) ?? cat.Find("aws_" + requested);
            if (table is null)
            {
                var suggestion = cat.Suggest(requested);
                throw new CliUsageException($"unknown table '{requested}'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} (`cloudinv tables` lists them)");
            }
            var output = parse.InvocationConfiguration.Output;
            var columns = new[] { "column", "type", "key", "origin", "source" };
            var rows = table.Columns.Select(c => new object?[]
            {
                c.Name, c.Type.ToHiveType(), table.PrimaryKey.Contains(c.Name), c.Origin.ToString().ToLowerInvariant(), c.SourcePath,
            }).ToArray();
            switch (values.Format)
            {
                case "table":
                    Write(output, table);
                    break;
                case "json":
                    QueryResultWriter.WriteDocument(new Dictionary<string, object?>
                    {
                        ["table"] = table.Name,
                        ["origin"] = table.Origin == TableOrigin.Curated ? "curated" : "discovered",
                        ["api"] = table.Source,
                        ["cloud"] = Table.CloudName(table.Cloud),
                        ["scope"] = table.Scope == TableScope.Global ? "global" : "regional",
                        ["primary_key"] = table.PrimaryKey.ToArray(),
                        ["parent"] = table.Parent?.Table,
                        ["columns"] = rows.Select(r => columns.Select((c, i) => KeyValuePair.Create(c, r[i])).ToDictionary()).ToArray(),
                    }, output);
                    break;
                default:
                    QueryResultWriter.WriteRows(columns, rows, values.Format, output, values.Terminal);
                    break;
            }
            return CliApp.Done;
        });
        return command;
    }

    internal static void Write(TextWriter output, Table table)
    {
        output.WriteLine(table.Name);
        if (table.Azure is { } azure)
        {
            output.WriteLine($"  origin:      {(table.Origin == TableOrigin.Curated ? "curated Azure table" : "discovered from Azure's type models")}");
            output.WriteLine($"  source:      {azure}");
            output.WriteLine($"  scope:       once per subscription");
            output.WriteLine($"  primary key: {string.Join(", ", table.PrimaryKey)}");
            if (table.Parent is { } collectedWith) output.WriteLine($"  collected with: {collectedWith.Table} (one scan, rows routed by type)");
            output.WriteLine($"  partitioned: {Table.ReportDate.Name}");
            WriteColumns(output, table);
            return;
        }
        output.WriteLine($"  origin:      {(table.Origin == TableOrigin.Curated ? $"curated ({table.SpecFile})" : "discovered from the AWS model")}");
        output.WriteLine($"  source API:  {table.AwsService}:{table.Operation}{(table.FixedInput.EnumerateObject().Any() ? " " + table.FixedInput.GetRawText() : "")}");
        if (table.FanOut is { } fanOut)
        {
            output.WriteLine($"  called per:  {fanOut.Parameter} in {string.Join(", ", fanOut.Values)}");
        }
        output.WriteLine($"  rows:        {table.RowPath}");
        output.WriteLine($"  scope:       {(table.Scope == TableScope.Global ? "global (once per account)" : "regional")}");
        output.WriteLine($"  primary key: {(table.PrimaryKey.Count == 0 ? "(none)" : string.Join(", ", table.PrimaryKey))}");
        if (table.Parent is { } parent)
        {
            output.WriteLine($"  child of:    {parent.Table} ({string.Join(", ", parent.Bindings.Select(Binding))})");
        }
        output.WriteLine($"  partitioned: {Table.ReportDate.Name}");
        if (table.Enrichments.Count > 0)
        {
            output.WriteLine("  enrichments:");
            foreach (var e in table.Enrichments)
            {
                var result = e.ResultPath is null ? "" : $" → {e.ResultPath}";
                var absent = e.AbsentOn.Count == 0 ? "" : $" (absent on {string.Join(", ", e.AbsentOn)})";
                output.WriteLine($"    {e.Name,-24} {e.Operation}({string.Join(", ", e.Bindings.Select(Binding))}){result}{(e.Flatten ? " flattened" : "")}{absent}");
            }
        }
        WriteColumns(output, table);
    }

    private static void WriteColumns(TextWriter output, Table table)
    {
        output.WriteLine("  columns:");
        var width = Math.Max(20, table.Columns.Max(c => c.Name.Length));
        foreach (var c in table.Columns)
        {
            var type = c.Type.ToHiveType();
            if (type.Length > 100) type = type[..97] + "...";
            var key = table.PrimaryKey.Contains(c.Name) ? " [key]" : "";
            var conversion = c.Conversion switch
            {
                ColumnConversion.TagListToMap => ", tag list as map",
                ColumnConversion.JsonText => ", JSON text",
                ColumnConversion.UrlEncodedJsonText => ", URL-decoded JSON text",
                ColumnConversion.ValueAsJson => ", value as JSON text",
                _ => "",
            };
            output.WriteLine($"    {c.Name.PadRight(width)} {type}{key}  ({c.Origin.ToString().ToLowerInvariant()}{(c.SourcePath is null ? "" : ": " + c.SourcePath)}{conversion})");
        }
    }

    private static string Binding(InputBinding b) => b.AsList ? $"{b.Parameter}=[${b.Column}]" : $"{b.Parameter}=${b.Column}";
}
