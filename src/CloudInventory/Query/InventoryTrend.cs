using CloudInventory.Catalog.Generation;
using CloudInventory.Query.Internal;

namespace CloudInventory.Query;

/// <summary>
/// Resource counts per day (the rows of the <c>daily_</c> views: the last run of each day), grouped. Both clouds count
/// each resource once, as <c>cloudinv_resources</c> does: Azure's per-type tables and management groups are left out when tables
/// of the footprint (<see cref="StandardViews.InFootprint"/>) are counted; a glob of only such tables counts them. A unit the day's run
/// did not observe counts its last observation and is named in <see cref="TrendPoint.NotObserved"/>: a gap, not a drop.
/// </summary>
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
        else if (by is not ("table" or "service" or "account" or "region" or "cloud" or "type"))
        {
            throw new InventoryQueryException($"--by expects service, account, region, table, cloud, type or tag:<Key>, got \"{options.By}\".");
        }
        var parts = new List<string>();
        var tables = new List<Catalog.Table>();
        var matching = database.TablesWithData.Where(glob.IsMatch).ToHashSet(StringComparer.Ordinal);
        // Each resource once, as in cloudinv_resources: when footprint tables are counted, Azure's type tables (rows of
        // azure_resources again) and management groups are not; a glob of those tables only counts them.
        var footprint = matching.Any(n => StandardViews.InFootprint(database.Catalog.Find(n)!));
        foreach (var name in matching.Order(StringComparer.Ordinal))
        {
            var table = database.Catalog.Find(name)!;
            if (footprint && !StandardViews.InFootprint(table)) continue;
            var tagged = InventoryDatabase.HasTags(table);
            if ((tagKey is not null || database.TagFilters.Count > 0) && !tagged) continue;
            var group = tagKey is not null ? $"coalesce(d.tags[{Sql.Literal(tagKey)}], '(untagged)')"
                : by switch
                {
                    "table" => Sql.Literal(table.Name),
                    "service" => table.Service.Length > 0 ? Sql.Literal(table.Service) : StandardViews.AzureProvider("d.\"type\""),
                    "account" => "coalesce(d.account_id, '(none)')",
                    "cloud" => Sql.Literal(Catalog.Table.CloudName(table.Cloud)),
                    "type" => table.Cloud == Catalog.Cloud.Azure && table.FindColumn("type") is not null ? "lower(d.\"type\")" : Sql.Literal(table.Name),
                    _ => table.Cloud == Catalog.Cloud.Azure && table.FindColumn("location") is not null ? "coalesce(nullif(d.location, ''), d.region)" : "coalesce(d.region, '(none)')",
                };
            string daily;
            if (options.Since is { } from)
            {
                daily = $"({database.DailySince(table, from)})";
            }
            else
            {
                database.EnsureView("daily_", table);
                daily = Sql.Identifier("daily_" + table.Name);
            }
            tables.Add(table);
            // The daily_ view's rows, each marked when its unit was not observed that day (the row is its last observation).
            parts.Add($"""
                SELECT d.report_date, {group} AS grp, count(*) AS n, count(u.account_id) AS carried,
                  list(DISTINCT {Sql.Literal(table.Name + " ")} || u.account_id || '/' || u.region) FILTER (WHERE u.account_id IS NOT NULL) AS units
                FROM {daily} d
                LEFT JOIN (SELECT report_date, account_id, region FROM {StandardViews.DailyUnitsView} WHERE table_name = {Sql.Literal(table.Name)} AND NOT observed) u
                  ON d.report_date = u.report_date AND d.account_id = u.account_id AND d.region = u.region
                GROUP BY ALL
                """);
        }
        if (parts.Count == 0) return [];
        var points = new SortedDictionary<(DateOnly Date, string Group), (long Count, long Carried, SortedSet<string> Units)>(
            Comparer<(DateOnly Date, string Group)>.Create((a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : string.CompareOrdinal(a.Group, b.Group)));
        try
        {
            using var cmd = database.Connection.CreateCommand();
            cmd.CommandText = $"SELECT report_date, grp, sum(n)::BIGINT, sum(carried)::BIGINT, flatten(list(units)) FROM ({string.Join("\nUNION ALL\n", parts)}) GROUP BY ALL";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var units = r.IsDBNull(4) ? [] : ((System.Collections.IEnumerable)r.GetValue(4)).Cast<object?>().OfType<string>();
                points[(r.GetFieldValue<DateOnly>(0), r.GetString(1))] = (r.GetInt64(2), r.GetInt64(3), new SortedSet<string>(units, StringComparer.Ordinal));
            }
            // Units not observed that left no rows to carry (never observed, or last seen empty) are gaps too; a tag group cannot name them.
            if (tagKey is null)
            {
                using var gaps = database.Connection.CreateCommand();
                gaps.CommandText = $"SELECT report_date, table_name, account_id, region FROM {StandardViews.DailyUnitsView} WHERE NOT observed AND table_name IN ({string.Join(", ", tables.Select(t => Sql.Literal(t.Name)))})" +
                    (options.Since is { } since ? " AND report_date >= " + Sql.Date(since) : "");
                using var g = gaps.ExecuteReader();
                while (g.Read())
                {
                    var table = database.Catalog.Find(g.GetString(1))!;
                    var key = (g.GetFieldValue<DateOnly>(0), by switch
                    {
                        "table" => table.Name,
                        "service" => table.Service.Length > 0 ? table.Service : "azure",
                        "account" => g.GetString(2),
                        "cloud" => Catalog.Table.CloudName(table.Cloud),
                        "type" => table.Name,
                        _ => g.GetString(3),
                    });
                    if (!points.TryGetValue(key, out var point)) points[key] = point = (0, 0, new SortedSet<string>(StringComparer.Ordinal));
                    point.Units.Add($"{table.Name} {g.GetString(2)}/{g.GetString(3)}");
                }
            }
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw database.Explain(e);
        }
        return points.Select(p => new TrendPoint(p.Key.Date, p.Key.Group, p.Value.Count, p.Value.Carried, p.Value.Units.Count == 0 ? null : string.Join(", ", p.Value.Units))).ToList();
    }
}
