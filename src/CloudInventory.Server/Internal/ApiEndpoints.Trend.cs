using CloudInventory.Query;
using CloudInventory.Query.Internal;
using CloudInventory.Storage;
using DuckDB.NET.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server.Internal;

internal sealed partial class ApiEndpoints
{
    private void MapTrend(RouteGroupBuilder api)
    {
        api.MapGet("/trend", async ([FromQuery(Name = "by")] string? by, [FromQuery(Name = "since")] string? since, [FromQuery(Name = "until")] string? until,
            [AsParameters] ScopeQuery scope, HttpContext context, CancellationToken cancellationToken) =>
        {
            var grouping = (by ?? "service").Trim();
            string? tagKey = null;
            if (grouping.StartsWith("tag:", StringComparison.OrdinalIgnoreCase))
            {
                tagKey = grouping[4..];
                if (tagKey.Length == 0) throw new InventoryQueryException("by=tag:<Key> needs a tag key, e.g. by=tag:Application.");
            }
            else if (grouping is not ("cloud" or "service" or "table" or "account" or "region"))
            {
                throw new InventoryQueryException($"by={by}: expected cloud, service, table, account, region or tag:<Key>.");
            }
            var first = ParseSince(since, "since");
            var last = ParseDate(until, "until");
            using var lease = await LeaseAsync(scope, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            var tables = new List<(Catalog.Table Table, string Group, InventoryRun[] Runs)>();
            foreach (var table in ScopedTables(db, scope))
            {
                if (tagKey is not null && !InventoryDatabase.HasTags(table)) continue;
                var group = tagKey is not null ? $"coalesce(tags[{Sql.Literal(tagKey)}], '(untagged)')" : grouping switch
                {
                    "cloud" => Sql.Literal(CloudOf(table.Name)),
                    "service" => Sql.Literal(table.Service),
                    "table" => Sql.Literal(table.Name),
                    "account" => "coalesce(account_id, '(none)')",
                    _ => "coalesce(region, '(none)')",
                };
                // The daily view's rows: the last run of each day in the period.
                var runs = db.LastRunPerDay(table.Name).Where(r => (first is null || r.ReportDate >= first) && (last is null || r.ReportDate <= last)).ToArray();
                if (runs.Length > 0) tables.Add((table, group, runs));
            }
            // Counts by a dimension the manifests record come from them; tag groups and tag scopes read the files.
            var points = _answers.GetOrAdd(db, AnswerKey(context), () =>
                (tagKey is null && db.TagFilters.Count == 0 ? CountFromManifests(db, tables, grouping, scope) : null) ?? CountFromFiles(db, tables, scope));
            return TypedResults.Ok(new TrendResponse(grouping, points));
        }).WithName("GetTrend")
          .WithSummary("Resource counts per day (the last snapshot of each day), grouped by cloud, service, table, account, region or tag:<Key>, over since..until.")
          .Produces<ErrorBody>(StatusCodes.Status400BadRequest);
    }

    /// <summary>The counts read from the files of the runs (one scan over all tables).</summary>
    private static List<TrendCount> CountFromFiles(InventoryDatabase db, List<(Catalog.Table Table, string Group, InventoryRun[] Runs)> tables, ScopeQuery scope)
    {
        var points = new List<TrendCount>();
        if (tables.Count == 0) return points;
        string Count(bool unionByName) =>
            "SELECT report_date, grp, sum(n)::BIGINT FROM (" + string.Join("\nUNION ALL ", tables.Select(t =>
                $"SELECT report_date, {t.Group} AS grp, count(*) AS n FROM ({db.RunsRelation(t.Table, t.Runs, unionByName)}) __t{Where(scope)} GROUP BY ALL")) +
            ") GROUP BY ALL ORDER BY 1, 2";
        InventoryQueryException? failure = null;
        foreach (var unionByName in new[] { false, true })
        {
            try
            {
                points.Clear();
                using var r = db.ExecuteGenerated(Count(unionByName));
                while (r.Read()) points.Add(new TrendCount(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetInt64(2)));
                return points;
            }
            catch (InventoryQueryException e) when (e.InnerException is DuckDBException)
            {
                // Counting reads only columns every file has, unless a file lacks one: then unify the schemas.
                failure = e;
            }
        }
        throw failure!;
    }

    /// <summary>
    /// The counts from the manifests alone, without reading a data file: every run records the rows it wrote per table, account
    /// and region (its <c>tables</c> entries), which is all a count by cloud, service, table, account or region needs. Null (scan
    /// the files) when a run's entries do not add up to its files' rows (a store written before runs recorded them), or when a
    /// file of a local store fails verification (the scan leaves it out). An S3 store's files are verified when they are read.
    /// </summary>
    private static List<TrendCount>? CountFromManifests(InventoryDatabase db, List<(Catalog.Table Table, string Group, InventoryRun[] Runs)> tables, string grouping, ScopeQuery scope)
    {
        var counts = new Dictionary<(DateOnly Day, string Group), long>();
        foreach (var (table, _, runs) in tables)
        {
            foreach (var run in runs)
            {
                // The shards the scan reads: those of a complete or partial manifest.
                var shards = run.Manifests.Where(m => m.Status is RunStatus.Complete or RunStatus.Partial).ToArray();
                var files = shards.SelectMany(m => m.Files).Where(f => f.Table == table.Name).ToArray();
                var units = shards.SelectMany(m => m.Tables).Where(u => u.Table == table.Name).ToArray();
                if (units.Sum(u => u.Rows) != files.Sum(f => f.Rows)) return null;
                if (db.Cache is null && db.Verified(files.Select(f => f.Path)).Count != files.Length) return null;
                foreach (var unit in units)
                {
                    if (unit.Rows == 0) continue;
                    if (!string.IsNullOrEmpty(scope.AccountId) && unit.AccountId != scope.AccountId) continue;
                    if (!string.IsNullOrEmpty(scope.Region) && unit.Region != scope.Region) continue;
                    var group = grouping switch
                    {
                        "cloud" => CloudOf(table.Name),
                        "service" => table.Service,
                        "table" => table.Name,
                        "account" => unit.AccountId,
                        _ => unit.Region,
                    };
                    counts[(run.ReportDate, group)] = counts.GetValueOrDefault((run.ReportDate, group)) + unit.Rows;
                }
            }
        }
        return counts.OrderBy(c => c.Key.Day).ThenBy(c => c.Key.Group, StringComparer.Ordinal).Select(c => new TrendCount(c.Key.Day, c.Key.Group, c.Value)).ToList();
    }
}
