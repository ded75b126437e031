namespace CloudInventory.Catalog;

/// <summary>An input parameter of a call whose value is taken from a row column.</summary>
/// <param name="Parameter">The top-level input member of the operation, e.g. <c>Bucket</c>.</param>
/// <param name="Column">The column of the source row (the table's own row for enrichments, the parent's row for child tables).</param>
/// <param name="AsList">True when the value is sent as a one-element list (e.g. <c>clusters: [$cluster_arn]</c>).</param>
public sealed record InputBinding(string Parameter, string Column, bool AsList = false);
