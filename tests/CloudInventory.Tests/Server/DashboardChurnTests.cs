using System.Globalization;
using System.Text.Json;
using CloudInventory.Catalog;
using CloudInventory.Query;
using CloudInventory.Server;
using CloudInventory.Simulator;
using Microsoft.Playwright;

namespace CloudInventory.Tests.Server;

/// <summary>
/// Churn per day over a store with a fault-injected run: on one day one account's S3 units are denied (skipped, so not
/// observed). <c>/api/v1/churn</c> must count no removals (or additions the day after) for them, like <c>diff</c>;
/// <c>/api/v1/diff</c> lists them as not compared, and the Changes page says so.
/// </summary>
public sealed class DashboardChurnTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private static readonly DateOnly First = new(2026, 6, 1);
    private const int Days = 4;
    private static readonly DateOnly Faulty = First.AddDays(2);
    private static readonly string[] s_tables = ["aws_ec2_instances", "aws_s3_buckets"];
    private readonly string _store = Directory.CreateTempSubdirectory("cloudinv-churn-").FullName;
    private readonly SimulatorOptions _options = new() { Seed = 23, Accounts = 2, Regions = ["us-east-1"] };
    private string _denied = "";
    private DashboardServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await using (var cloud = await SimulatedCloud.StartAsync(_options))
        {
            for (var day = First; day < First.AddDays(Days); day = day.AddDays(1))
            {
                if (day == Faulty) _options.AccessDenied.Add((_denied, "s3"));
                var result = await SimulatedCollection.CollectDayAsync(cloud, _store, day, s_tables);
                _denied = result.Accounts[^1];
                _options.AccessDenied.Clear();
            }
        }
        _server = await DashboardServer.StartAsync(new DashboardServerOptions { Store = _store, Listen = "127.0.0.1:0", Today = () => First.AddDays(Days - 1) });
        _http = new HttpClient { BaseAddress = _server.Address };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_store, recursive: true);
    }

    [Fact]
    public async Task Churn_leaves_out_units_a_day_did_not_observe_and_equals_the_diff_of_each_pair_of_days()
    {
        using var response = await _http.GetAsync($"/api/v1/churn?since={Day(First.AddDays(1))}&until={Day(First.AddDays(Days - 1))}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var churn = JsonDocument.Parse(body).RootElement.GetProperty("days").EnumerateArray()
            .ToDictionary(d => DateOnly.ParseExact(d.GetProperty("report_date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                d => (d.GetProperty("added").GetInt64(), d.GetProperty("removed").GetInt64(), d.GetProperty("changed").GetInt64()));

        using var db = InventoryDatabase.Open(_store, TableCatalog.Default);
        var sawFault = false;
        for (var day = First.AddDays(1); day < First.AddDays(Days); day = day.AddDays(1))
        {
            var diff = InventoryDiff.Compute(db, new DiffOptions
            {
                From = SnapshotReference.Parse(Day(day.AddDays(-1)), day), To = SnapshotReference.Parse(Day(day), day), SummaryOnly = true,
            });
            if (day == Faulty || day == Faulty.AddDays(1))
            {
                // The denied account's buckets are not compared on the faulty day, nor the day after (its previous snapshot lacks them).
                var unit = Assert.Single(diff.NotCompared);
                Assert.Equal(("aws_s3_buckets", _denied), (unit.Table, unit.AccountId));
                sawFault = true;
            }
            else
            {
                Assert.Empty(diff.NotCompared);
            }
            var expected = (diff.Tables.Sum(t => (long)t.AddedCount), diff.Tables.Sum(t => (long)t.RemovedCount), diff.Tables.Sum(t => (long)t.ChangedCount));
            Assert.Equal(expected, churn.GetValueOrDefault(day));
        }
        Assert.True(sawFault);

        // The faulty run's file has none of the denied account's buckets: counted as churn, they would be removed on the faulty
        // day and added again the day after. Not observed, they are not compared at all.
        using var buckets = db.ExecuteQuery($"SELECT count(*) FROM aws_s3_buckets WHERE account_id = '{_denied}' AND report_date = DATE '{Day(Faulty.AddDays(-1))}'");
        Assert.True(buckets.Read());
        Assert.True(buckets.GetInt64(0) > 0);
        using var denied = await _http.GetAsync($"/api/v1/churn?table=aws_s3_buckets&account_id={_denied}&since={Day(Faulty)}&until={Day(Faulty.AddDays(1))}");
        var deniedDays = JsonDocument.Parse(await denied.Content.ReadAsStringAsync()).RootElement.GetProperty("days").EnumerateArray()
            .Select(d => (d.GetProperty("added").GetInt64(), d.GetProperty("removed").GetInt64())).ToArray();
        Assert.All(deniedDays, d => Assert.Equal((0L, 0L), d));
        // The same question on days both observed answers (the unit's buckets are compared there).
        using var observed = await _http.GetAsync($"/api/v1/churn?table=aws_s3_buckets&account_id={_denied}&since={Day(First.AddDays(1))}&until={Day(Faulty.AddDays(-1))}");
        Assert.NotEmpty(JsonDocument.Parse(await observed.Content.ReadAsStringAsync()).RootElement.GetProperty("days").EnumerateArray());
    }

    [Fact]
    [Trait("Category", "Browser")]
    public async Task The_diff_api_and_the_changes_page_list_the_units_not_compared()
    {
        using var db = InventoryDatabase.Open(_store, TableCatalog.Default);
        var expected = InventoryDiff.Compute(db, new DiffOptions
        {
            From = SnapshotReference.Parse(Day(Faulty.AddDays(-1)), Faulty), To = SnapshotReference.Parse(Day(Faulty), Faulty), SummaryOnly = true,
        }).NotCompared;
        var denied = Assert.Single(expected);

        var units = await NotComparedAsync($"from={Day(Faulty.AddDays(-1))}&to={Day(Faulty)}&summary=true");
        var unit = Assert.Single(units);
        Assert.Equal((denied.Table, denied.AccountId, denied.Region, denied.Reason),
            (unit.GetProperty("table").GetString(), unit.GetProperty("account_id").GetString(), unit.GetProperty("region").GetString(), unit.GetProperty("reason").GetString()));
        Assert.Equal(("aws_s3_buckets", _denied), (denied.Table, denied.AccountId));
        Assert.Contains(db.Runs.Single(r => r.ReportDate == Faulty).RunId, denied.Reason, StringComparison.Ordinal);
        // The drill-down's list too; scoped to another table, cloud or account, the unit is not part of the question.
        Assert.Single(await NotComparedAsync($"from={Day(Faulty.AddDays(-1))}&to={Day(Faulty)}&table=aws_s3_buckets&max_results=10"));
        Assert.Empty(await NotComparedAsync($"from={Day(Faulty.AddDays(-1))}&to={Day(Faulty)}&table=aws_ec2_instances&summary=true"));
        Assert.Empty(await NotComparedAsync($"from={Day(Faulty.AddDays(-1))}&to={Day(Faulty)}&cloud=azure&summary=true"));
        var other = db.Runs[0].Observed("aws_ec2_instances").Select(u => u.AccountId).First(a => a != _denied);
        Assert.Empty(await NotComparedAsync($"from={Day(Faulty.AddDays(-1))}&to={Day(Faulty)}&account_id={other}&summary=true"));
        // Two days that both observed every unit: nothing left out.
        Assert.Empty(await NotComparedAsync($"from={Day(First)}&to={Day(First.AddDays(1))}&summary=true"));

        // The Changes page says which units were left out, and says nothing when none were.
        var context = await browser.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var problems = new List<string>();
            page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add($"console {m.Type}: {m.Text}"); };
            page.PageError += (_, e) => problems.Add("page error: " + e);
            await OpenChangesAsync(page, Faulty.AddDays(-1), Faulty);
            var note = page.GetByTestId("not-compared");
            Assert.Equal("Not compared: 1 unit", await note.Locator("h2").TextContentAsync());
            Assert.Equal($"aws_s3_buckets{denied.AccountId} / {denied.Region}: {denied.Reason}", await note.Locator("li").TextContentAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Artifacts, "changes-not-compared.png"), FullPage = true });

            await OpenChangesAsync(page, First, First.AddDays(1));
            Assert.Equal(0, await page.GetByTestId("not-compared").CountAsync());
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    private async Task<JsonElement[]> NotComparedAsync(string query)
    {
        using var response = await _http.GetAsync("/api/v1/diff?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("not_compared").EnumerateArray().Select(e => e.Clone())];
    }

    private async Task OpenChangesAsync(IPage page, DateOnly from, DateOnly to)
    {
        await page.GotoAsync(new Uri(_server.Address, $"/changes?from={Day(from)}&to={Day(to)}").ToString());
        await page.WaitForFunctionAsync("() => document.body.dataset.ready && !document.querySelector('main[aria-busy]')");
        var error = page.Locator("#error");
        if (await error.IsVisibleAsync()) Assert.Fail("the page shows an error: " + await error.TextContentAsync());
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
