using System.Text.RegularExpressions;
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
    /// <summary>Posture checks: per table, a label and the SQL expression that puts a row in one of its categories.</summary>
    private static readonly (string Table, string Check, string Expression)[] PostureChecks =
    [
        ("aws_s3_buckets", "encryption", "CASE WHEN encryption IS NULL OR coalesce(len(encryption.rules), 0) = 0 THEN 'unencrypted' ELSE 'encrypted' END"),
        ("aws_s3_buckets", "public access", "CASE WHEN policy_status.is_public THEN 'public' WHEN public_access_block.block_public_acls AND public_access_block.ignore_public_acls AND public_access_block.block_public_policy AND public_access_block.restrict_public_buckets THEN 'blocked' ELSE 'not blocked' END"),
        ("aws_ec2_volumes", "encryption", "CASE WHEN encrypted THEN 'encrypted' ELSE 'unencrypted' END"),
        ("aws_rds_db_instances", "encryption", "CASE WHEN storage_encrypted THEN 'encrypted' ELSE 'unencrypted' END"),
        ("aws_rds_db_instances", "public access", "CASE WHEN publicly_accessible THEN 'public' ELSE 'private' END"),
    ];

    private void MapTags(RouteGroupBuilder api)
    {
        api.MapGet("/tags", async ([FromQuery(Name = "required")] string? required, [FromQuery(Name = "report_date")] string? reportDate,
            [AsParameters] ScopeQuery scope, CancellationToken cancellationToken) =>
        {
            var keys = string.IsNullOrWhiteSpace(required)
                ? options.RequiredTags
                : required.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var date = ParseDate(reportDate, "report_date");
            using var lease = await LeaseAsync(scope, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            var coverage = new List<TagCoverage>();
            var valueParts = new List<string>();
            foreach (var table in ScopedTables(db, scope).Where(InventoryDatabase.HasTags))
            {
                if (Snapshot(db, table, date) is not { } run) continue;
                var relation = $"SELECT * FROM ({db.RunsRelation(table, [run])}) __t{Where(scope)}";
                var counts = string.Concat(keys.Select(k => $", count(*) FILTER (WHERE tags[{Sql.Literal(k)}] IS NOT NULL)"));
                using (var r = db.ExecuteGenerated(
                    $"SELECT coalesce(account_id, '(none)'), count(*), count(*) FILTER (WHERE tags IS NULL OR cardinality(tags) = 0){counts} FROM ({relation}) GROUP BY 1 ORDER BY 1"))
                {
                    while (r.Read())
                    {
                        var perKey = keys.Select((k, i) => (k, Long(r.GetValue(3 + i)))).ToDictionary(x => x.k, x => x.Item2, StringComparer.Ordinal);
                        coverage.Add(new TagCoverage(table.Name, r.GetString(0), Long(r.GetValue(1)), Long(r.GetValue(2)), perKey));
                    }
                }
                valueParts.Add($"SELECT unnest(map_keys(tags)) AS k, unnest(map_values(tags)) AS v FROM ({relation})");
            }
            var values = new List<TagValueCount>();
            if (valueParts.Count > 0)
            {
                using var r = db.ExecuteGenerated(
                    $"SELECT k, coalesce(v, ''), count(*) AS n FROM ({string.Join("\nUNION ALL ", valueParts)}) GROUP BY 1, 2 QUALIFY row_number() OVER (PARTITION BY k ORDER BY n DESC, 2) <= 20 ORDER BY 1, 3 DESC, 2");
                while (r.Read()) values.Add(new TagValueCount(r.GetString(0), r.GetString(1), Long(r.GetValue(2))));
            }
            return TypedResults.Ok(new TagsResponse(keys, coverage, values));
        }).WithName("GetTags")
          .WithSummary("Tag coverage of the latest snapshot (or report_date's) per table and account: resources, untagged, and carrying each required key (required=K1,K2 or --required-tags); the 20 most common values per key.")
          .Produces<ErrorBody>(StatusCodes.Status400BadRequest);

        api.MapGet("/posture", async ([FromQuery(Name = "report_date")] string? reportDate, [AsParameters] ScopeQuery scope, CancellationToken cancellationToken) =>
        {
            var date = ParseDate(reportDate, "report_date");
            using var lease = await LeaseAsync(scope, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            var asOf = date is { } d ? $"TIMESTAMPTZ '{d:yyyy-MM-dd} 23:59:59+00'" : "now()";
            var age = new List<AgeCount>();
            var checks = new List<PostureCount>();
            foreach (var table in ScopedTables(db, scope))
            {
                if (Snapshot(db, table, date) is not { } run) continue;
                var relation = $"SELECT * FROM ({db.RunsRelation(table, [run])}) __t{Where(scope)}";
                if (CreationColumn(table) is { } created)
                {
                    var c = Sql.Identifier(created);
                    var bucket = $"""
                        CASE WHEN {c} IS NULL THEN 'unknown'
                             WHEN {asOf} - {c} < INTERVAL 1 DAY THEN '< 24 h'
                             WHEN {asOf} - {c} < INTERVAL 30 DAY THEN '1-30 d'
                             WHEN {asOf} - {c} < INTERVAL 90 DAY THEN '30-90 d'
                             WHEN {asOf} - {c} < INTERVAL 365 DAY THEN '90-365 d'
                             ELSE '> 1 y' END
                        """;
                    using var r = db.ExecuteGenerated($"SELECT {bucket} AS b, count(*) FROM ({relation}) GROUP BY 1 ORDER BY 1");
                    while (r.Read()) age.Add(new AgeCount(table.Name, created, r.GetString(0), Long(r.GetValue(1))));
                }
                foreach (var check in PostureChecks.Where(p => p.Table == table.Name))
                {
                    try
                    {
                        using var r = db.ExecuteGenerated($"SELECT {check.Expression} AS v, count(*) FROM ({relation}) GROUP BY 1 ORDER BY 1");
                        while (r.Read()) checks.Add(new PostureCount(table.Name, check.Check, r.GetString(0), Long(r.GetValue(1))));
                    }
                    catch (InventoryQueryException)
                    {
                        // The snapshot's files lack a column the check reads (an enrichment never collected): no answer for it.
                    }
                }
            }
            return TypedResults.Ok(new PostureResponse(age, checks));
        }).WithName("GetPosture")
          .WithSummary("Age buckets (< 24 h, 1-30 d, 30-90 d, 90-365 d, > 1 y) of every table with a creation time, and encryption and public-access counts for S3 buckets, EBS volumes and RDS instances, in the latest snapshot (or report_date's).")
          .Produces<ErrorBody>(StatusCodes.Status400BadRequest);
    }

    /// <summary>The latest run that saw the table, or the last one on or before the date.</summary>
    private static InventoryRun? Snapshot(InventoryDatabase db, Table table, DateOnly? date) =>
        db.Runs.LastOrDefault(r => r.Saw(table.Name) && (date is null || r.ReportDate <= date));

    /// <summary>The table's creation-time column: a top-level timestamp named like create_time, creation_date, created_at or launch_time.</summary>
    private static string? CreationColumn(Table table) =>
        table.Columns.Where(c => c.Type.Kind == ColumnKind.Timestamp && CreationName().IsMatch(c.Name))
            .OrderBy(c => c.Name.Length).Select(c => c.Name).FirstOrDefault();

    [GeneratedRegex(@"^(create|creation|created|launch|instance_create|cluster_create)(_(time|date|at|timestamp|date_time))?$", RegexOptions.CultureInvariant)]
    private static partial Regex CreationName();
}
