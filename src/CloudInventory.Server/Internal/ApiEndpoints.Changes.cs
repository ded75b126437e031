using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Query;
using CloudInventory.Query.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server.Internal;

internal sealed partial class ApiEndpoints
{
    private void MapChanges(RouteGroupBuilder api)
    {
        api.MapGet("/diff", async ([FromQuery(Name = "from")] string? from, [FromQuery(Name = "to")] string? to, [AsParameters] ScopeQuery scope,
            [FromQuery(Name = "summary")] bool? summary, [FromQuery(Name = "max_results")] int? maxResults, HttpContext context, CancellationToken cancellationToken) =>
        {
            using var lease = await LeaseAsync(scope, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            return Results.Json(_answers.GetOrAdd(db, AnswerKey(context), () => Diff(db, from, to, scope, summary, maxResults)), ApiJson.Options);
        }).WithName("GetDiff")
          .WithSummary("What was added, removed and changed between two snapshots (from, to: a date, a run id, 7d, now), per table; summary=true gives counts only; lists are cut at max_results. not_compared lists the units (table, account, region) either run did not observe, whose rows were left out.")
          .Produces<DiffResponse>().Produces<ErrorBody>(StatusCodes.Status400BadRequest);

        api.MapGet("/churn", async ([FromQuery(Name = "since")] string? since, [FromQuery(Name = "until")] string? until, [AsParameters] ScopeQuery scope,
            HttpContext context, CancellationToken cancellationToken) =>
        {
            using var lease = await LeaseAsync(scope, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            return TypedResults.Ok(_answers.GetOrAdd(db, AnswerKey(context), () => Churn(db, since, until, scope)));
        }).WithName("GetChurn")
          .WithSummary("Resources added, removed and changed per day (each day's last snapshot against the previous day's), over the scope's tables; units either day did not observe are not compared, as in diff.")
          .Produces<ErrorBody>(StatusCodes.Status400BadRequest);
    }

    private ChurnResponse Churn(InventoryDatabase db, string? since, string? until, ScopeQuery scope)
    {
        var first = ParseSince(since ?? "30d", "since");
        var last = ParseDate(until, "until");
        var days = new SortedDictionary<DateOnly, (long Added, long Removed, long Changed)>();
        // One table at a time: each query holds one table's snapshots (a week of the largest table, not of all of them), and
        // the per-day counts of the tables add up to the counts of their union.
        foreach (var table in ScopedTables(db, scope))
        {
            // The day before the first day too, so the first day's churn is against its previous snapshot.
            var tableDays = db.LastRunPerDay(table.Name).Where(r => last is null || r.ReportDate <= last).ToList();
            var start = tableDays.FindLastIndex(r => r.ReportDate < first);
            var runs = tableDays.Skip(Math.Max(0, start)).ToList();
            if (runs.Count < 2) continue;
            using var r = db.ExecuteGenerated(ChurnSql(db, table, runs, first, scope));
            while (r.Read())
            {
                var day = r.GetFieldValue<DateOnly>(0);
                var sum = days.GetValueOrDefault(day);
                days[day] = (sum.Added + Long(r.GetValue(1)), sum.Removed + Long(r.GetValue(2)), sum.Changed + Long(r.GetValue(3)));
            }
        }
        return new ChurnResponse(days.Select(d => new ChurnDay(d.Key, d.Value.Added, d.Value.Removed, d.Value.Changed)).ToList());
    }

    /// <summary>
    /// One table's churn per day over consecutive runs (each day's last run, oldest first): per day, a key's presence in the day's
    /// and the previous day's snapshot decides added and removed, its row hash changed; the units either day did not observe
    /// are left out on both sides that day, as in diff (a failed unit is not removals).
    /// </summary>
    private string ChurnSql(InventoryDatabase db, Table table, IReadOnlyList<InventoryRun> runs, DateOnly? first, ScopeQuery scope)
    {
        var pairs = new List<string>();
        var notCompared = new List<string>();
        for (var i = 1; i < runs.Count; i++)
        {
            pairs.Add($"({Sql.Date(runs[i].ReportDate)}, {Sql.Date(runs[i - 1].ReportDate)})");
            notCompared.AddRange(InventoryDiff.NotCompared(runs[i - 1], runs[i], table.Name)
                .Select(u => $"({Sql.Date(runs[i].ReportDate)}, {Sql.Literal(u.AccountId)}, {Sql.Literal(u.Region)})"));
        }
        var key = string.Join(", ", InventoryDatabase.KeyColumns(table).Select(Sql.Identifier));
        var rowHash = table.PrimaryKey.Count > 0 ? "hash(row(*COLUMNS(* EXCLUDE (report_time, report_date))))" : "0::UBIGINT";
        var excluded = notCompared.Count == 0
            ? "SELECT NULL::DATE AS d, NULL::VARCHAR AS a, NULL::VARCHAR AS r WHERE false"
            : $"SELECT * FROM (VALUES {string.Join(", ", notCompared)}) nc(d, a, r)";
        return $"""
            WITH k AS (SELECT report_date, account_id AS a, region AS r, hash({key}) AS k, {rowHash} AS v FROM ({db.RunsRelation(table, runs)}) __t{Where(scope)}),
            pairs AS (SELECT * FROM (VALUES {string.Join(", ", pairs)}) p(d, prev)),
            nc AS ({excluded}),
            cur AS (SELECT p.d, k.k, k.v FROM pairs p JOIN k ON k.report_date = p.d
                    WHERE NOT EXISTS (SELECT 1 FROM nc WHERE nc.d = p.d AND nc.a = k.a AND nc.r = k.r)),
            old AS (SELECT p.d, k.k, k.v FROM pairs p JOIN k ON k.report_date = p.prev
                    WHERE NOT EXISTS (SELECT 1 FROM nc WHERE nc.d = p.d AND nc.a = k.a AND nc.r = k.r))
            SELECT coalesce(cur.d, old.d) AS d,
                   count(*) FILTER (WHERE old.k IS NULL) AS added,
                   count(*) FILTER (WHERE cur.k IS NULL) AS removed,
                   count(*) FILTER (WHERE cur.k IS NOT NULL AND old.k IS NOT NULL AND cur.v <> old.v) AS changed
            FROM cur FULL OUTER JOIN old ON cur.d = old.d AND cur.k = old.k
            WHERE coalesce(cur.d, old.d) >= {Sql.Date(first ?? DateOnly.MinValue)}
            GROUP BY 1 ORDER BY 1
            """;
    }

    private DiffResponse Diff(InventoryDatabase db, string? from, string? to, ScopeQuery scope, bool? summary, int? maxResults)
    {
        var max = Math.Clamp(maxResults ?? 200, 0, 5000);
        var report = InventoryDiff.Compute(db, new DiffOptions
        {
            From = Reference(from ?? "7d", "from"),
            To = Reference(to ?? "now", "to"),
            TableGlob = string.IsNullOrWhiteSpace(scope.Table) ? null : scope.Table,
            AccountId = NullIfEmpty(scope.AccountId),
            Region = NullIfEmpty(scope.Region),
            SummaryOnly = summary ?? false,
        });
        var tables = report.Tables.Where(d => string.IsNullOrEmpty(scope.Cloud) || CloudOf(d.Table) == scope.Cloud).Select(d => new DiffTableResult(
            d.Table, d.AddedCount, d.RemovedCount, d.ChangedCount, d.ColumnsAdded, d.ColumnsRemoved, d.Added.Take(max).ToList(), d.Removed.Take(max).ToList(),
            d.Changed.Take(max).Select(c => new ChangedRow(c.Key, c.Columns.Select(x => new ColumnChangeInfo(x.Column, Text(x.Old), Text(x.New))).ToList())).ToList())).ToList();
        var notCompared = report.NotCompared.Where(u => string.IsNullOrEmpty(scope.Cloud) || CloudOf(u.Table) == scope.Cloud)
            .Select(u => new NotComparedUnit(u.Table, u.AccountId, u.Region, u.Reason)).ToList();
        return new DiffResponse(Snapshot(report.From), Snapshot(report.To), tables, report.Skipped, notCompared);
    }

    private SnapshotReference Reference(string text, string parameter)
    {
        try
        {
            return SnapshotReference.Parse(text, Today);
        }
        catch (InventoryQueryException e)
        {
            throw new InventoryQueryException($"{parameter}: {e.Message}", e);
        }
    }

    private static SnapshotInfo Snapshot(InventoryRun run) => new(run.RunId, run.ReportDate, run.ReportTime);

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>A diff value (text; nested values are JSON text) as a JSON node: nested values parsed, scalars as strings.</summary>
    private static JsonNode? Text(string? value)
    {
        if (value is null) return null;
        if (value.Length > 0 && value[0] is '{' or '[')
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }
        return JsonValue.Create(value);
    }


}
