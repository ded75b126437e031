using CloudInventory.Query.Internal;

namespace CloudInventory.Query;

/// <summary>Resource counts per day (the rows of the <c>daily_</c> views: the last run of each day), grouped.</summary>
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
        var tables = new List<(Catalog.Table Table, string Group, string[] Files)>();
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
            // The daily_ view's rows: the files of the last run of each day.
            var files = database.LastRunPerDay(name).Where(r => options.Since is not { } s || r.ReportDate >= s).SelectMany(r => r.Tables[name]).ToArray();
            if (files.Length > 0) tables.Add((table, group, files));
        }
        if (tables.Count == 0) return [];
        try
        {
            // Counting needs only report_date, account, region and tags, which every file has: skip
            // unifying the schemas (which reads every footer once more).
            return Count(database, tables, unionByName: false);
        }
        catch (DuckDB.NET.Data.DuckDBException)
        {
            try
            {
                return Count(database, tables, unionByName: true);
            }
            catch (DuckDB.NET.Data.DuckDBException e)
            {
                throw database.Explain(e);
            }
        }
    }

    private static List<TrendPoint> Count(InventoryDatabase database, IEnumerable<(Catalog.Table Table, string Group, string[] Files)> tables, bool unionByName)
    {
        var parts = tables.Select(t => $"SELECT report_date, {t.Group} AS grp, count(*) AS n FROM ({database.Scan(t.Table, t.Files, unionByName: unionByName)}) GROUP BY ALL");
        var points = new List<TrendPoint>();
        using var cmd = database.Connection.CreateCommand();
        cmd.CommandText = $"SELECT report_date, grp, sum(n)::BIGINT FROM ({string.Join("\nUNION ALL ", parts)}) GROUP BY ALL ORDER BY 1, 2";
        using var r = cmd.ExecuteReader();
        while (r.Read()) points.Add(new TrendPoint(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetInt64(2)));
        return points;
    }
}
