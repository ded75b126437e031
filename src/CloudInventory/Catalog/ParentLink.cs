namespace CloudInventory.Catalog;

/// <summary>How a child table's calls take their input from the rows of its parent table.</summary>
/// <param name="Table">The parent table's name, e.g. <c>aws_ecs_clusters</c>.</param>
/// <param name="Bindings">Input parameters taken from the parent row (columns of the parent).</param>
public sealed record ParentLink(string Table, IReadOnlyList<InputBinding> Bindings);
