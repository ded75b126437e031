using System.Text.Json.Nodes;
using CloudInventory.Query;
using CloudInventory.Query.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server.Internal;

internal sealed partial class ApiEndpoints
{
    private static readonly HashSet<string> CollectionColumns = new(StringComparer.Ordinal) { "report_time", "report_date" };

    private void MapResources(RouteGroupBuilder api)
    {
        api.MapGet("/resources/{table}", async (string table,
            [FromQuery(Name = "account_id")] string? accountId,
            [FromQuery(Name = "region")] string? region,
            [FromQuery(Name = "key")] string[]? key,
            CancellationToken cancellationToken) =>
        {
            using var lease = await sessions.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            var t = FindTable(db, table);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (accountId is not null) values["account_id"] = accountId;
            if (region is not null) values["region"] = region;
            foreach (var k in key ?? [])
            {
                var eq = k.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new InventoryQueryException($"key={k}: expected column=value.");
                values[k[..eq]] = k[(eq + 1)..];
            }
            var keyColumns = InventoryDatabase.KeyColumns(t);
            var missing = keyColumns.Where(c => !values.ContainsKey(c)).ToArray();
            if (missing.Length > 0)
            {
                throw new InventoryQueryException($"a {t.Name} resource is named by {string.Join(", ", keyColumns)}; missing {string.Join(", ", missing)} (account_id=…, region=…, key=column=value).");
            }
            var unknown = values.Keys.Where(c => !keyColumns.Contains(c)).ToArray();
            if (unknown.Length > 0) throw new InventoryQueryException($"key: {string.Join(", ", unknown)} is not a key column of {t.Name} ({string.Join(", ", keyColumns)}).");

            // Every visible run that saw the table, oldest first; the row of this key in each (if any).
            var runs = db.Runs.Where(r => r.Saw(t.Name)).ToList();
            var relation = db.RunsRelation(t, runs);
            var predicate = string.Join(" AND ", keyColumns.Select(c => $"CAST({Sql.Identifier(c)} AS VARCHAR) = {Sql.Literal(values[c])}"));
            var found = new Dictionary<DateTimeOffset, JsonObject>();
            using (var r = db.ExecuteGenerated($"SELECT * FROM ({relation}) __t WHERE {predicate} ORDER BY report_time"))
            {
                var timeColumn = r.GetOrdinal("report_time");
                while (r.Read())
                {
                    var row = new JsonObject();
                    for (var i = 0; i < r.FieldCount; i++) row[r.GetName(i)] = ApiJson.ToNode(r.IsDBNull(i) ? null : r.GetValue(i));
                    var time = r.GetValue(timeColumn) switch
                    {
                        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                        DateTimeOffset o => o,
                        _ => throw new InventoryQueryException($"{t.Name} rows have no report_time."),
                    };
                    found[time.ToUniversalTime()] = row;
                }
            }
            var history = new List<HistoryEvent>();
            JsonObject? previous = null;
            JsonObject? latest = null;
            DateOnly? latestDate = null;
            foreach (var run in runs)
            {
                var row = found.GetValueOrDefault(run.ReportTime.ToUniversalTime());
                if (row is not null)
                {
                    latest = row;
                    latestDate = run.ReportDate;
                }
                if (row is null && previous is null) continue;
                if (row is null)
                {
                    history.Add(new HistoryEvent(run.RunId, run.ReportDate, "disappeared", []));
                }
                else if (previous is null)
                {
                    history.Add(new HistoryEvent(run.RunId, run.ReportDate, history.Count == 0 ? "appeared" : "reappeared", []));
                }
                else
                {
                    var changes = row.Where(p => !CollectionColumns.Contains(p.Key))
                        .Select(p => (p.Key, Old: previous[p.Key], New: p.Value))
                        .Where(c => ApiJson.Canonical(c.Old) != ApiJson.Canonical(c.New))
                        .Select(c => new ColumnChangeInfo(c.Key, c.Old?.DeepClone(), c.New?.DeepClone())).ToList();
                    if (changes.Count > 0) history.Add(new HistoryEvent(run.RunId, run.ReportDate, "changed", changes));
                }
                previous = row;
            }
            if (latest is null) throw new ApiNotFoundException($"no {t.Name} resource {string.Join(", ", keyColumns.Select(c => c + "=" + values[c]))} in any snapshot.");
            return Results.Json(new ResourceHistory(t.Name, values, latest, latestDate, history), ApiJson.Options);
        }).WithName("GetResource")
          .WithSummary("One resource (account_id, region and key=column=value for each primary-key column): its latest record and its history (appeared, each change with the changed columns, disappeared).")
          .Produces<ResourceHistory>().Produces<ErrorBody>(StatusCodes.Status400BadRequest).Produces<ErrorBody>(StatusCodes.Status404NotFound);
    }
}
