namespace CloudInventory.Query;

/// <summary>The number of resources of one group on one day (the rows of the <c>daily_</c> views: the day's last run).</summary>
/// <param name="Date">The report date.</param>
/// <param name="Group">The group: a table, service, account, region or tag value.</param>
/// <param name="Count">The number of resources, counting for a unit the day's run did not observe its last observation.</param>
/// <param name="Carried">How many of <paramref name="Count"/> come from an earlier observation (units not observed that day).</param>
/// <param name="NotObserved">
/// The units (<c>&lt;table&gt; &lt;account&gt;/&lt;region&gt;</c>, comma-separated) of the group the day's run did not observe
/// (failed, skipped, or missing from a run that was not complete): a gap in what is known, not a drop; null when none.
/// </param>
public sealed record TrendPoint(DateOnly Date, string Group, long Count, long Carried = 0, string? NotObserved = null);
