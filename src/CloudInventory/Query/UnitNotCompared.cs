namespace CloudInventory.Query;

/// <summary>A unit a diff left out because one of its runs did not observe it.</summary>
/// <param name="Table">The table.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region (<c>global</c> for global tables).</param>
/// <param name="Reason">Why, e.g. <c>error in run 20260301T060000Z-a1b2c3</c>.</param>
public sealed record UnitNotCompared(string Table, string AccountId, string Region, string Reason)
{
    /// <summary>The unit and the reason as one line.</summary>
    public override string ToString() => $"{Table} {AccountId}/{Region}: {Reason}";
}
