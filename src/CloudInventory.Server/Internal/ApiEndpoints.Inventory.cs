using System.Globalization;
using System.Text;
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
    private static readonly string[] FilterOperators = ["eq", "ne", "contains", "lt", "gt", "null", "notnull"];

    private void MapInventory(RouteGroupBuilder api)
    {
        api.MapGet("/inventory/{table}", async (HttpContext context, string table,
            [FromQuery(Name = "report_date")] string? reportDate,
            [FromQuery(Name = "time_selection")] string? timeSelection,
            [AsParameters] ScopeQuery scope,
            [FromQuery(Name = "filter")] string[]? filter,
            [FromQuery(Name = "columns")] string? columns,
            [FromQuery(Name = "sort")] string? sort,
            [FromQuery(Name = "order")] string? order,
            [FromQuery(Name = "max_results")] int? maxResults,
            [FromQuery(Name = "cursor")] string? cursor,
            [FromQuery(Name = "format")] string? format,
            CancellationToken cancellationToken) =>
        {
            scope.Table = null;
            using var lease = await LeaseAsync(scope, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            var t = FindTable(db, table);
            var selection = (timeSelection ?? (reportDate is null ? "latest" : "at")).ToLowerInvariant();
            var run = ResolveRun(db, t, selection, ParseDate(reportDate, "report_date"));
            var relation = db.RunsRelation(t, run is null ? [] : [run]);
            var available = Describe(db, relation);
            var chosen = string.IsNullOrWhiteSpace(columns)
                ? available.Keys.ToList()
                : columns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => Known(available, c, "columns")).Distinct().ToList();
            var predicates = (filter ?? []).Select(f => FilterSql(available, f)).ToArray();
            var where = Where(scope, predicates);
            var keys = InventoryDatabase.KeyColumns(t).Where(available.ContainsKey).Select(Sql.Identifier);
            var direction = (order ?? "asc").ToLowerInvariant() switch
            {
                "asc" => "ASC",
                "desc" => "DESC",
                _ => throw new InventoryQueryException($"order={order}: expected asc or desc."),
            };
            var orderBy = string.IsNullOrWhiteSpace(sort)
                ? string.Join(", ", keys)
                : string.Join(", ", keys.Prepend($"{Sql.Identifier(Known(available, sort, "sort"))} {direction} NULLS LAST"));
            var select = string.Join(", ", chosen.Select(Sql.Identifier));
            var body = $"SELECT {select} FROM ({relation}) __t{where}" + (orderBy.Length > 0 ? $" ORDER BY {orderBy}" : "");

            if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.ContentType = "text/csv; charset=utf-8";
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"{t.Name}-{run?.ReportDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "empty"}.csv\"";
                using var csvReader = db.ExecuteGenerated($"{body} LIMIT {options.ExportRowCap}");
                await CsvOutput.WriteAsync(context.Response, csvReader, options.ExportRowCap, cancellationToken).ConfigureAwait(false);
                return Results.Empty;
            }

            var max = Math.Clamp(maxResults ?? 100, 1, 1000);
            var offset = DecodeCursor(cursor, run);
            var total = Scalar(db, $"SELECT count(*) FROM ({relation}) __t{where}");
            using var reader = db.ExecuteGenerated($"{body} LIMIT {max + 1} OFFSET {offset}");
            var rows = ReadRows(reader, max, out var more);
            var page = new InventoryPage(t.Name, run?.RunId, run?.ReportDate, selection, chosen.Select(c => new ColumnInfo(c, available[c])).ToList(),
                rows, total, more ? EncodeCursor(offset + max, run) : null);
            return Results.Json(page, ApiJson.Options);
        }).WithName("GetInventory")
          .WithSummary("A table's rows at a time: the snapshot chosen by report_date and time_selection (latest, at, before, after), filtered, sorted, paged by cursor; format=csv exports every matching row.")
          .Produces<InventoryPage>(StatusCodes.Status200OK, "application/json", "text/csv")
          .Produces<ErrorBody>(StatusCodes.Status400BadRequest).Produces<ErrorBody>(StatusCodes.Status404NotFound);
    }

    /// <summary>The run a time selection means for a table: the latest; the last on a day; the last before or first after it.</summary>
    private static InventoryRun? ResolveRun(InventoryDatabase db, Table table, string selection, DateOnly? date)
    {
        var runs = db.Runs.Where(r => r.Saw(table.Name)).ToList();
        if (selection != "latest" && date is null) throw new InventoryQueryException($"time_selection={selection} needs report_date=YYYY-MM-DD.");
        var run = selection switch
        {
            "latest" => runs.LastOrDefault(),
            "at" => runs.LastOrDefault(r => r.ReportDate == date),
            "before" => runs.LastOrDefault(r => r.ReportDate < date),
            "after" => runs.FirstOrDefault(r => r.ReportDate > date),
            _ => throw new InventoryQueryException($"time_selection={selection}: expected latest, at, before or after."),
        };
        return run ?? throw new ApiNotFoundException(
            $"no snapshot of {table.Name} {selection}{(date is { } d ? " " + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")}" +
            (runs.Count > 0 ? $"; its snapshots go from {runs[0].ReportDate:yyyy-MM-dd} to {runs[^1].ReportDate:yyyy-MM-dd}." : "; it has no snapshot."));
    }

    private static string Known(Dictionary<string, string> columns, string name, string parameter) =>
        columns.ContainsKey(name) ? name : throw new InventoryQueryException($"{parameter}: the table has no column {name}.");

    /// <summary><c>column:op:value</c> as a predicate; values are literals, columns are checked against the relation's.</summary>
    private static string FilterSql(Dictionary<string, string> columns, string filter)
    {
        var parts = filter.Split(':', 3);
        if (parts.Length < 2 || !FilterOperators.Contains(parts[1]))
        {
            throw new InventoryQueryException($"filter={filter}: expected column:op:value with op one of {string.Join(", ", FilterOperators)}.");
        }
        var column = Sql.Identifier(Known(columns, parts[0], "filter"));
        var value = parts.Length == 3 ? parts[2] : "";
        var text = $"CAST({column} AS VARCHAR)";
        return parts[1] switch
        {
            "eq" => $"{text} = {Sql.Literal(value)}",
            "ne" => $"{text} IS DISTINCT FROM {Sql.Literal(value)}",
            "contains" => $"contains(lower({text}), lower({Sql.Literal(value)}))",
            "lt" => $"{column} < TRY_CAST({Sql.Literal(value)} AS {columns[parts[0]]})",
            "gt" => $"{column} > TRY_CAST({Sql.Literal(value)} AS {columns[parts[0]]})",
            "null" => $"{column} IS NULL",
            _ => $"{column} IS NOT NULL",
        };
    }

    private static string EncodeCursor(long offset, InventoryRun? run) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{offset}|{run?.RunId}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static long DecodeCursor(string? cursor, InventoryRun? run)
    {
        if (string.IsNullOrEmpty(cursor)) return 0;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|', 2);
            if (parts.Length == 2 && parts[1] == (run?.RunId ?? "") && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)) return offset;
        }
        catch (FormatException)
        {
        }
        throw new InventoryQueryException("cursor: not a cursor of this listing; start again without one (cursors come from next_cursor).");
    }
}
