using CloudInventory.Query.Internal;

namespace CloudInventory.Query;

/// <summary>Resource counts per day (from the <c>daily_</c> views: the last run of each day), grouped.</summary>
public static class InventoryTrend
{
    /// <summary>The counts per day and group, ordered by day then group.</summary>
    /// <exception cref="InventoryQueryException">The grouping is unknown or a query fails.</exception>
    public static IReadOnlyList<TrendPoint> Compute(InventoryDatabase database, TrendOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        var glob = new TableGlob(options.TableGlob);
        var by = options.By.Trim();
        string? tagKey = null;
        if (by.StartsWith("tag:", StringComparison.OrdinalIgnoreCase))
        {
            tagKey = by[4..];
            if (tagKey.Length == 0) throw new InventoryQueryException("--by tag:<Key> needs a tag key, e.g. tag:Application.");
        }
        else if (by is not ("table" or "service" or "account" or "region"))
        {
            throw new InventoryQueryException($"--by expects service, account, region, table or tag:<Key>, got \"{options.By}\".");
        }
        var parts = new List<string>();
        foreach (var name in database.TablesWithData.Where(glob.IsMatch))
        {
            var table = database.Catalog.Find(name)!;
            var tagged = InventoryDatabase.HasTags(table);
            if ((tagKey is not null || database.TagFilters.Count > 0) && !tagged) continue;
            var group = tagKey is not null ? $"coalesce(tags[{Sql.Literal(tagKey)}], '(untagged)')"
                : by switch
                {
                    "table" => Sql.Literal(table.Name),
                    "service" => Sql.Literal(table.Service),
                    "account" => "coalesce(account_id, '(none)')",
                    _ => "coalesce(region, '(none)')",
                };
            database.EnsureView("daily_", table);
            var since = options.Since is { } s ? " WHERE report_date >= " + Sql.Date(s) : "";
            parts.Add($"SELECT report_date, {group} AS grp, count(*) AS n FROM {Sql.Identifier("daily_" + table.Name)}{since} GROUP BY ALL");
        }
        if (parts.Count == 0) return [];
        var points = new List<TrendPoint>();
        using var cmd = database.Connection.CreateCommand();
        cmd.CommandText = $"SELECT report_date, grp, sum(n)::BIGINT FROM ({string.Join("\nUNION ALL ", parts)}) GROUP BY ALL ORDER BY 1, 2";
        try
        {
            using var r = cmd.ExecuteReader();
            while (r.Read()) points.Add(new TrendPoint(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetInt64(2)));
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw database.Explain(e);
        }
        return points;
    }
}
