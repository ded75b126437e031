namespace CloudInventory.Query;

/// <summary>The number of resources of one group on one day (from the day's last run).</summary>
/// <param name="Date">The report date.</param>
/// <param name="Group">The group: a table, service, account, region or tag value.</param>
/// <param name="Count">The number of resources.</param>
public sealed record TrendPoint(DateOnly Date, string Group, long Count);
