using System.Globalization;
using CloudInventory.Query;
using CloudInventory.Query.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server.Internal;

internal sealed partial class ApiEndpoints
{
    private void MapRuns(RouteGroupBuilder api)
    {
        api.MapGet("/runs", async ([FromQuery] int? limit, CancellationToken cancellationToken) =>
        {
            var n = Math.Clamp(limit ?? 50, 1, 1000);
            using var lease = await sessions.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
            var runs = new List<RunSummary>();
            using var r = lease.Database.ExecuteGenerated(
                "SELECT run_id, shard, report_date, report_time, started_at, finished_at, status, \"rows\", files, errors, api_calls, throttles, duration_ms " +
                $"FROM cloudinv_runs ORDER BY report_time DESC, run_id DESC, shard LIMIT {n}");
            while (r.Read())
            {
                runs.Add(new RunSummary(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetFieldValue<DateOnly>(2), Utc(r.GetValue(3))!.Value,
                    Utc(r.GetValue(4)), Utc(r.GetValue(5)), r.GetString(6), Long(r.GetValue(7)), (int)Long(r.GetValue(8)), Long(r.GetValue(9)),
                    Long(r.GetValue(10)), Long(r.GetValue(11)), Long(r.GetValue(12))));
            }
            return TypedResults.Ok(new RunsResponse(runs));
        }).WithName("ListRuns").WithSummary("The collection runs, newest first (status, duration, rows, errors), from cloudinv_runs.");

        api.MapGet("/errors", async ([FromQuery(Name = "run_id")] string? runId, [FromQuery] int? limit, CancellationToken cancellationToken) =>
        {
            var n = Math.Clamp(limit ?? 100, 1, 5000);
            using var lease = await sessions.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
            var where = string.IsNullOrEmpty(runId) ? "" : " WHERE run_id = " + Sql.Literal(runId);
            var errors = new List<RunError>();
            using var r = lease.Database.ExecuteQuery(
                $"SELECT run_id, report_date, account_id, region, table_name, operation, error_code, message FROM cloudinv_errors{where} ORDER BY report_time DESC, table_name LIMIT {n}");
            while (r.Read())
            {
                string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                errors.Add(new RunError(S(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1), S(2), S(3), S(4), S(5), S(6), S(7)));
            }
            return TypedResults.Ok(new ErrorsResponse(errors));
        }).WithName("ListErrors").WithSummary("The errors recorded by runs (cloudinv_errors), newest first.");
    }

    private void MapTables(RouteGroupBuilder api)
    {
        api.MapGet("/tables", async (CancellationToken cancellationToken) =>
        {
            using var lease = await sessions.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            var tables = db.TablesWithData.Select(n => db.Catalog.Find(n)!)
                .Select(t => new TableSummary(t.Name, CloudOf(t.Name), t.Service, t.Resource, InventoryDatabase.HasTags(t), t.PrimaryKey)).ToList();
            return TypedResults.Ok(new TablesResponse(tables));
        }).WithName("ListTables").WithSummary("The tables that have data in the store.");

        api.MapGet("/tables/{table}", async (string table, CancellationToken cancellationToken) =>
        {
            using var lease = await sessions.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            var t = FindTable(db, table);
            var columns = t.Columns.Select(c => new ColumnInfo(c.Name, c.Type.ToDuckDbType())).Append(new ColumnInfo("report_date", "DATE")).ToList();
            return TypedResults.Ok(new TableDetail(t.Name, CloudOf(t.Name), t.Service, t.Resource, InventoryDatabase.HasTags(t), t.PrimaryKey,
                InventoryDatabase.KeyColumns(t), columns));
        }).WithName("GetTable").WithSummary("One table: its columns and types, primary key and key columns.")
          .Produces<ErrorBody>(StatusCodes.Status404NotFound);
    }

    private static long Long(object value) => value is DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static DateTime? Utc(object value) => value switch
    {
        DateTime t => DateTime.SpecifyKind(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        _ => null,
    };
}
