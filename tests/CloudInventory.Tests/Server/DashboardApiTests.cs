using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CloudInventory.Query;

namespace CloudInventory.Tests.Server;

/// <summary>The /api/v1 endpoints on the demo store: their answers against the CLI's, paging, time selection, errors, and the OpenAPI contract.</summary>
[Collection(DemoStoreCollection.Name)]
public sealed class DashboardApiTests(DemoStoreFixture store)
{
    private async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await store.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    private string Date(int daysBack) => store.Today.AddDays(-daysBack).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Pages_through_a_table_with_cursors_and_gets_exactly_the_rows_of_the_latest_snapshot()
    {
        var expected = store.Query("select instance_id from current_aws_ec2_instances order by account_id, region, instance_id")
            .Select(r => r.GetProperty("instance_id").GetString()).ToList();
        var seen = new List<string?>();
        string? cursor = null;
        do
        {
            var page = await GetAsync($"/api/v1/inventory/aws_ec2_instances?columns=instance_id&max_results=7{(cursor is null ? "" : "&cursor=" + cursor)}");
            Assert.Equal(expected.Count, page.GetProperty("total").GetInt64());
            seen.AddRange(page.GetProperty("rows").EnumerateArray().Select(r => r[0].GetString()));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Chooses_the_snapshot_by_time_selection()
    {
        var at = await GetAsync($"/api/v1/inventory/aws_ec2_instances?report_date={Date(2)}&time_selection=at&max_results=1");
        Assert.Equal(Date(2), at.GetProperty("report_date").GetString());
        Assert.Equal(store.QueryNumber($"select count(*) from daily_aws_ec2_instances where report_date = DATE '{Date(2)}'"), at.GetProperty("total").GetInt64());
        var before = await GetAsync($"/api/v1/inventory/aws_ec2_instances?report_date={Date(2)}&time_selection=before&max_results=1");
        Assert.Equal(Date(3), before.GetProperty("report_date").GetString());
        var after = await GetAsync($"/api/v1/inventory/aws_ec2_instances?report_date={Date(2)}&time_selection=after&max_results=1");
        Assert.Equal(Date(1), after.GetProperty("report_date").GetString());
        var none = await GetAsync($"/api/v1/inventory/aws_ec2_instances?report_date={Date(0)}&time_selection=after", HttpStatusCode.NotFound);
        Assert.StartsWith("no snapshot of aws_ec2_instances after", none.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_sorts_and_exports_csv_like_the_same_sql()
    {
        var running = store.QueryNumber("select count(*) from current_aws_ec2_instances where state.name = 'running' and account_id is not null");
        var filtered = await GetAsync("/api/v1/inventory/aws_ec2_instances?filter=state:contains:running&max_results=1");
        Assert.Equal(running, filtered.GetProperty("total").GetInt64());
        var first = store.Query("select instance_type from current_aws_ec2_instances order by instance_type desc limit 1")[0].GetProperty("instance_type").GetString();
        var sorted = await GetAsync("/api/v1/inventory/aws_ec2_instances?columns=instance_type&sort=instance_type&order=desc&max_results=1");
        Assert.Equal(first, sorted.GetProperty("rows")[0][0].GetString());

        using var csv = await store.Http.GetAsync("/api/v1/inventory/aws_ec2_instances?columns=instance_id,tags&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("instance_id,tags", lines[0]);
        Assert.Equal(store.QueryNumber("select count(*) from current_aws_ec2_instances"), lines.Length - 1);
    }

    [Fact]
    public async Task A_resource_history_matches_the_diff_of_each_pair_of_days()
    {
        using var db = store.Open();
        var days = db.Runs.Select(r => r.ReportDate).ToList();
        // An instance that changed between two consecutive days, as InventoryDiff (cloudinv diff) sees it.
        RowChange? change = null;
        DateOnly changedOn = default;
        for (var i = 1; i < days.Count && change is null; i++)
        {
            var report = InventoryDiff.Compute(db, new DiffOptions
            {
                From = SnapshotReference.Parse(days[i - 1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), store.Today),
                To = SnapshotReference.Parse(days[i].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), store.Today),
                TableGlob = "aws_ec2_instances",
            });
            change = report.Tables.SingleOrDefault()?.Changed.FirstOrDefault();
            changedOn = days[i];
        }
        Assert.NotNull(change);
        var key = change.Key;
        var history = await GetAsync($"/api/v1/resources/aws_ec2_instances?account_id={key["account_id"]}&region={key["region"]}&key=instance_id={key["instance_id"]}");
        Assert.Equal(key["instance_id"], history.GetProperty("record").GetProperty("instance_id").GetString());
        var events = history.GetProperty("history").EnumerateArray().ToList();
        var onThatDay = events.Single(e => e.GetProperty("report_date").GetString() == changedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal("changed", onThatDay.GetProperty("event").GetString());
        Assert.Equal(change.Columns.Select(c => c.Column).Order(StringComparer.Ordinal),
            onThatDay.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("column").GetString()!).Order(StringComparer.Ordinal));

        // Every day the timeline says nothing changed, the diff agrees.
        foreach (var e in events.Where(e => e.GetProperty("event").GetString() == "changed"))
        {
            var date = DateOnly.ParseExact(e.GetProperty("report_date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var previous = days[days.IndexOf(date) - 1];
            var report = InventoryDiff.Compute(db, new DiffOptions
            {
                From = SnapshotReference.Parse(previous.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), store.Today),
                To = SnapshotReference.Parse(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), store.Today),
                TableGlob = "aws_ec2_instances",
                AccountId = key["account_id"],
            });
            var row = report.Tables.Single().Changed.Single(c => c.Key["instance_id"] == key["instance_id"]);
            Assert.Equal(row.Columns.Select(c => c.Column).Order(StringComparer.Ordinal),
                e.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("column").GetString()!).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Diff_and_trend_answer_like_the_library_the_cli_uses()
    {
        var diff = await GetAsync($"/api/v1/diff?from={Date(4)}&to={Date(0)}&summary=true");
        using var db = store.Open();
        var report = InventoryDiff.Compute(db, new DiffOptions
        {
            From = SnapshotReference.Parse(Date(4), store.Today), To = SnapshotReference.Parse(Date(0), store.Today), SummaryOnly = true,
        });
        Assert.Equal(report.Tables.Select(t => (t.Table, t.AddedCount, t.RemovedCount, t.ChangedCount)),
            diff.GetProperty("tables").EnumerateArray().Select(t => (t.GetProperty("table").GetString()!, t.GetProperty("added").GetInt64(), t.GetProperty("removed").GetInt64(), t.GetProperty("changed").GetInt64())));

        var trend = await GetAsync("/api/v1/trend?by=account&table=aws_ec2_instances");
        var expected = store.Query("select report_date::VARCHAR as d, account_id as a, count(*) as n from daily_aws_ec2_instances group by all order by 1, 2")
            .Select(r => (r.GetProperty("d").GetString(), r.GetProperty("a").GetString(), r.GetProperty("n").GetInt64()));
        Assert.Equal(expected, trend.GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("report_date").GetString(), p.GetProperty("group").GetString(), p.GetProperty("count").GetInt64())));
    }

    [Fact]
    public async Task Runs_are_the_manifests_newest_first()
    {
        var runs = await GetAsync("/api/v1/runs");
        var expected = store.Query("select run_id from cloudinv_runs order by report_time desc").Select(r => r.GetProperty("run_id").GetString());
        Assert.Equal(expected, runs.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/inventory/aws_nope", HttpStatusCode.NotFound, "no table aws_nope")]
    [InlineData("/api/v1/inventory/aws_ec2_instances?time_selection=soon&report_date=2026-01-01", HttpStatusCode.BadRequest, "time_selection=soon")]
    [InlineData("/api/v1/inventory/aws_ec2_instances?report_date=yesterday", HttpStatusCode.BadRequest, "report_date=yesterday")]
    [InlineData("/api/v1/inventory/aws_ec2_instances?filter=nope:eq:1", HttpStatusCode.BadRequest, "filter: the table has no column nope")]
    [InlineData("/api/v1/inventory/aws_ec2_instances?cursor=garbage", HttpStatusCode.BadRequest, "cursor:")]
    [InlineData("/api/v1/trend?by=colour", HttpStatusCode.BadRequest, "by=colour")]
    [InlineData("/api/v1/diff?from=someday", HttpStatusCode.BadRequest, "from:")]
    [InlineData("/api/v1/resources/aws_ec2_instances?account_id=1", HttpStatusCode.BadRequest, "missing region, instance_id")]
    [InlineData("/api/v1/nothing-here", HttpStatusCode.NotFound, "")]
    public async Task Bad_requests_get_one_clear_error_line_and_no_internals(string path, HttpStatusCode status, string message)
    {
        using var response = await store.Http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        if (message.Length == 0) return;
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error").GetString()!;
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_the_pages_use_with_its_parameters()
    {
        var document = await GetAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var expected = new Dictionary<string, string[]>
        {
            ["/api/v1/runs"] = ["limit"],
            ["/api/v1/errors"] = ["run_id", "limit"],
            ["/api/v1/tables"] = [],
            ["/api/v1/tables/{table}"] = ["table"],
            ["/api/v1/inventory/{table}"] = ["table", "report_date", "time_selection", "account_id", "region", "tag", "filter", "columns", "sort", "order", "max_results", "cursor", "format"],
            ["/api/v1/resources/{table}"] = ["table", "account_id", "region", "key"],
            ["/api/v1/diff"] = ["from", "to", "account_id", "region", "table", "tag", "summary", "max_results"],
            ["/api/v1/churn"] = ["since", "until", "account_id", "region", "table", "tag"],
            ["/api/v1/trend"] = ["by", "since", "until", "account_id", "region", "table", "tag", "cloud"],
            ["/api/v1/tags"] = ["required", "report_date", "account_id", "region", "table", "tag"],
            ["/api/v1/posture"] = ["report_date", "account_id", "region", "table", "tag"],
            ["/api/v1/query"] = [],
        };
        foreach (var (path, parameters) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            var operation = item.EnumerateObject().First().Value;
            var names = operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToHashSet() : [];
            Assert.All(parameters, p => Assert.True(names.Contains(p), $"{path} does not document {p}"));
        }
        Assert.True(paths.GetProperty("/api/v1/query").TryGetProperty("post", out var post));
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));

        // The responses carry the properties the document's schemas name.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var (path, schema) in new[] { ("/api/v1/runs", "RunsResponse"), ("/api/v1/tables/aws_ec2_instances", "TableDetail"), ("/api/v1/inventory/aws_ec2_instances?max_results=1", "InventoryPage"), ("/api/v1/trend?by=region", "TrendResponse"), ("/api/v1/tags", "TagsResponse"), ("/api/v1/posture", "PostureResponse"), ($"/api/v1/diff?from={Date(1)}&summary=true", "DiffResponse") })
        {
            var answer = await GetAsync(path);
            var documented = schemas.GetProperty(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
            Assert.Equal(documented, answer.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        foreach (var path in new[] { "/", "/explorer", "/api/v1/runs", "/assets/js/app.js", "/api/v1/nothing" })
        {
            using var response = await store.Http.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.False(response.Headers.Contains("Server"));
        }
        var page = await store.Http.GetStringAsync("/");
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_the_chart_library_with_its_licence()
    {
        var chart = await store.Http.GetStringAsync("/assets/vendor/chart.umd.min.js");
        Assert.Contains("Chart.js v4.6.1", chart, StringComparison.Ordinal);
        var licence = await store.Http.GetStringAsync("/assets/vendor/chart.js.LICENSE.md");
        Assert.Contains("MIT", licence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_request_body_over_the_limit()
    {
        var sql = "select 1 -- " + new string('x', 100 * 1024);
        using var response = await store.Http.PostAsJsonAsync("/api/v1/query", new { sql });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
