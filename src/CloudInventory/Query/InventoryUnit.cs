namespace CloudInventory.Query;

/// <summary>What one run (one of its shards) saw of a table in one account and region: an entry of the manifest's <c>tables</c> list.</summary>
/// <param name="Table">The table.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region (<c>global</c> for global tables), as in the table's rows.</param>
/// <param name="Rows">The rows collected.</param>
/// <param name="Status">As the manifest says: <c>ok</c>, <c>empty</c>, <c>error</c> or <c>skipped</c>.</param>
/// <param name="Observed">
/// True when the run observed the unit: its status is ok or empty and its shard's manifest is complete or partial.
/// A unit that is not observed is not known to be empty: its last observation stands for it.
/// </param>
public sealed record InventoryUnit(string Table, string AccountId, string Region, long Rows, string Status, bool Observed)
{
    /// <summary>The unit as text, <c>&lt;table&gt; &lt;account&gt;/&lt;region&gt;</c>.</summary>
    public override string ToString() => $"{Table} {AccountId}/{Region}";
}
