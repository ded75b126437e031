namespace CloudInventory.Catalog;

/// <summary>One column of a <see cref="Table"/>.</summary>
/// <param name="Name">The snake_case column name.</param>
/// <param name="Type">The column type.</param>
/// <param name="Origin">Where the values come from.</param>
/// <param name="SourcePath">
/// The path of the value: for API columns the member path from the operation's output
/// (e.g. <c>Reservations[].Instances[].InstanceId</c>); for parent columns the parent table's column;
/// for enrichments the enrichment operation; null for system columns.
/// </param>
/// <param name="Description">What the column holds, or null when the model says nothing.</param>
/// <param name="Conversion">How the API value becomes the column value.</param>
public sealed record Column(
    string Name,
    ColumnType Type,
    ColumnOrigin Origin,
    string? SourcePath,
    string? Description = null,
    ColumnConversion Conversion = ColumnConversion.None);
