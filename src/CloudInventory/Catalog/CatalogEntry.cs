namespace CloudInventory.Catalog;

/// <summary>
/// One table as the catalog index lists it: enough to list and filter tables without building them
/// (<c>cloudinv tables</c>), and to find the spec file that defines a curated one.
/// </summary>
/// <param name="Name">The table name, e.g. <c>aws_ec2_instances</c>.</param>
/// <param name="Service">The catalog service, e.g. <c>ec2</c>.</param>
/// <param name="Origin">Curated (from a spec) or discovered (from the AWS models).</param>
/// <param name="Scope">Regional or global.</param>
/// <param name="AwsService">The AWS service of the source operation.</param>
/// <param name="Operation">The source operation.</param>
/// <param name="ParentTable">The parent table of a child table, or null.</param>
/// <param name="SpecFile">The spec file of a curated table (<c>specs/aws/ec2.yaml</c>), or null.</param>
/// <param name="Cloud">The cloud of the table.</param>
/// <param name="Source">Where the rows come from, in one line (<see cref="Table.Source"/>); null: <c>&lt;AwsService&gt;:&lt;Operation&gt;</c>.</param>
public sealed record CatalogEntry(string Name, string Service, TableOrigin Origin, TableScope Scope, string AwsService, string Operation, string? ParentTable, string? SpecFile,
    Cloud Cloud = Cloud.Aws, string? Source = null)
{
    /// <summary>Where the rows come from, in one line, e.g. <c>ec2:DescribeInstances</c>.</summary>
    public string SourceText => Source ?? $"{AwsService}:{Operation}";

    /// <summary>The entry of a built table.</summary>
    public static CatalogEntry Of(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new(table.Name, table.Service, table.Origin, table.Scope, table.AwsService, table.Operation, table.Parent?.Table, table.SpecFile, table.Cloud,
            table.Cloud == Cloud.Aws ? null : table.Source);
    }
}
