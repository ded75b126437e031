using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Query;
using CloudInventory.Query.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server.Internal;

/// <summary>
/// The read-only API under <c>/api/v1/</c>, which every page of the dashboard uses: runs and errors, tables and columns,
/// a table's inventory at a time, one resource and its history, diffs, churn, trends, tags, age and posture, and SQL.
/// </summary>
internal sealed partial class ApiEndpoints(InventorySessions sessions, DashboardServerOptions options) : IDashboardEndpointGroup
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags("inventory");
        MapRuns(api);
        MapTables(api);
        MapInventory(api);
        MapResources(api);
        MapChanges(api);
        MapTrend(api);
        MapTags(api);
        MapQuery(api);
    }

    private readonly ResponseCache _answers = new();

    /// <summary>
    /// The request's key in <see cref="ResponseCache"/>: today, its path and its query's non-empty parameters in name order, so
    /// the same question asked with empty filters (<c>cloud=&amp;tag=</c>) or in another order is answered from the same entry.
    /// </summary>
    private string AnswerKey(HttpContext context) => $"{Today:yyyy-MM-dd} {context.Request.Path}?" + string.Join("&", context.Request.Query
        .Where(p => p.Value.Any(v => !string.IsNullOrEmpty(v)))
        .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
        .Select(p => Uri.EscapeDataString(p.Key.ToLowerInvariant()) + "=" + string.Join(",", p.Value.Select(v => Uri.EscapeDataString(v ?? "")))));

    private DateOnly Today => options.Today?.Invoke() ?? DateOnly.FromDateTime(DateTime.UtcNow);

    private Task<InventorySessions.Lease> LeaseAsync(ScopeQuery scope, CancellationToken cancellationToken) =>
        sessions.AcquireAsync(ParseTag(scope.Tag), cancellationToken);

    private static TagFilter? ParseTag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var eq = tag.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new InventoryQueryException($"tag={tag}: expected Key=Value, e.g. tag=Application=checkout.");
        return new TagFilter(tag[..eq], tag[(eq + 1)..]);
    }

    private static Table FindTable(InventoryDatabase db, string name) =>
        db.Catalog.Find(name) ?? throw new ApiNotFoundException($"no table {name}; GET /api/v1/tables lists the tables with data.");

    private static string CloudOf(string table) => table.Split('_', 2)[0];

    /// <summary>The tables with data the scope selects (a tag scope leaves out tables without tags).</summary>
    private static IEnumerable<Table> ScopedTables(InventoryDatabase db, ScopeQuery scope)
    {
        var glob = new TableGlob(string.IsNullOrWhiteSpace(scope.Table) ? null : scope.Table);
        foreach (var name in db.TablesWithData.Where(glob.IsMatch))
        {
            if (!string.IsNullOrEmpty(scope.Cloud) && CloudOf(name) != scope.Cloud) continue;
            var table = db.Catalog.Find(name)!;
            if (db.TagFilters.Count > 0 && !InventoryDatabase.HasTags(table)) continue;
            yield return table;
        }
    }

    /// <summary>The account and region predicates of a scope (empty string when none), for a relation that has both columns.</summary>
    private static string Where(ScopeQuery scope, params string[] more)
    {
        var parts = new List<string>(more.Where(m => m.Length > 0));
        if (!string.IsNullOrEmpty(scope.AccountId)) parts.Add("account_id = " + Sql.Literal(scope.AccountId));
        if (!string.IsNullOrEmpty(scope.Region)) parts.Add("region = " + Sql.Literal(scope.Region));
        return parts.Count == 0 ? "" : " WHERE " + string.Join(" AND ", parts);
    }

    private static DateOnly? ParseDate(string? text, string parameter)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new InventoryQueryException($"{parameter}={text}: expected a date YYYY-MM-DD.");
    }

    /// <summary>A reference (<c>7d</c>, a date, a run id, <c>now</c>) as the first day it covers.</summary>
    private DateOnly? ParseSince(string? text, string parameter)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return SnapshotReference.ParseSince(text, Today);
        }
        catch (InventoryQueryException e)
        {
            throw new InventoryQueryException($"{parameter}: {e.Message}", e);
        }
    }

    private static List<JsonArray> ReadRows(DbDataReader reader, int max, out bool truncated)
    {
        var rows = new List<JsonArray>();
        truncated = false;
        while (reader.Read())
        {
            if (rows.Count == max)
            {
                truncated = true;
                break;
            }
            rows.Add(ReadRow(reader));
        }
        return rows;
    }

    private static JsonArray ReadRow(DbDataReader reader)
    {
        var row = new JsonArray();
        for (var i = 0; i < reader.FieldCount; i++) row.Add(ApiJson.ToNode(reader.IsDBNull(i) ? null : reader.GetValue(i)));
        return row;
    }

    private static List<ColumnInfo> Columns(DbDataReader reader) =>
        Enumerable.Range(0, reader.FieldCount).Select(i => new ColumnInfo(reader.GetName(i), reader.GetDataTypeName(i))).ToList();

    private static long Scalar(InventoryDatabase db, string sql)
    {
        using var r = db.ExecuteGenerated(sql);
        return r.Read() && !r.IsDBNull(0) ? Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture) : 0;
    }

    private static Dictionary<string, string> Describe(InventoryDatabase db, string relation)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        using var r = db.ExecuteGenerated($"SELECT column_name, column_type FROM (DESCRIBE ({relation}))");
        while (r.Read()) columns[r.GetString(0)] = r.GetString(1);
        return columns;
    }
}
