using System.Globalization;
using System.Text.Json;
using CloudInventory.Query;
using Microsoft.Playwright;

namespace CloudInventory.Tests.Server;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium through Playwright) on the demo store: each page's numbers equal the
/// same question asked through <c>cloudinv query</c> (or the library the CLI's diff uses), filters change them, no console
/// errors or failed requests, and every control is reachable with the keyboard. Screenshots go to TestResults/dashboard.
/// </summary>
[Collection(DemoStoreCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests(DemoStoreFixture store, BrowserFixture browser)
{
    /// <summary>A page opened in a fresh context, with the console errors and failed requests it caused.</summary>
    private sealed record OpenedPage(IPage Page, IBrowserContext Context, List<string> Problems) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await Context.DisposeAsync();
    }

    private async Task<OpenedPage> OpenAsync(string path)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add($"console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => problems.Add("page error: " + e);
        page.RequestFailed += (_, r) => problems.Add($"request failed: {r.Url} {r.Failure}");
        page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"HTTP {r.Status}: {r.Url}"); };
        await page.GotoAsync(new Uri(store.Server.Address, path).ToString());
        await WaitReadyAsync(page);
        return new OpenedPage(page, context, problems);
    }

    /// <summary>Waits until the page has drawn (body[data-ready] set by the shell) and shows no error.</summary>
    private static async Task WaitReadyAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => document.body.dataset.ready && !document.querySelector('main[aria-busy]')");
        var error = page.Locator("#error");
        if (await error.IsVisibleAsync()) Assert.Fail("the page shows an error: " + await error.TextContentAsync());
    }

    private static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Artifacts, name + ".png"), FullPage = true });

    private static long Number(string text) => long.Parse(text.Replace(",", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);

    /// <summary>A two-column table (label, number) as a dictionary.</summary>
    private static async Task<Dictionary<string, long>> TableAsync(IPage page, string testId)
    {
        var rows = await page.Locator($"[data-testid='{testId}'] tbody tr").AllAsync();
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var cells = await row.Locator("td").AllTextContentsAsync();
            result[cells[0]] = Number(cells[1]);
        }
        return result;
    }

    [Fact]
    public async Task Overview_numbers_equal_the_same_questions_through_cloudinv_query()
    {
        await using var opened = await OpenAsync("/");
        var page = opened.Page;
        Assert.Equal(store.LatestTotal(), Number(await page.GetByTestId("total-resources").TextContentAsync() ?? ""));

        using (var db = store.Open())
        {
            var union = string.Join(" union all ", db.TablesWithData.Select(t => $"select account_id, region from current_{t}"));
            var byAccount = store.Query($"select account_id as k, count(*) as n from ({union}) group by 1")
                .ToDictionary(r => r.GetProperty("k").GetString()!, r => r.GetProperty("n").GetInt64());
            Assert.Equal(byAccount, await TableAsync(page, "by-account"));
            var byRegion = store.Query($"select region as k, count(*) as n from ({union}) group by 1")
                .ToDictionary(r => r.GetProperty("k").GetString()!, r => r.GetProperty("n").GetInt64());
            Assert.Equal(byRegion, await TableAsync(page, "by-region"));
            Assert.Equal(store.QueryNumber("select count(*) from current_aws_ec2_instances"), (await TableAsync(page, "by-table"))["aws_ec2_instances"]);
        }
        // Resources per day: the daily views' counts.
        using (var db = store.Open())
        {
            var perDay = store.Query("select report_date::VARCHAR as d, sum(n)::BIGINT as n from (" +
                string.Join(" union all ", db.TablesWithData.Select(t => $"select report_date, count(*) as n from daily_{t} group by 1")) + ") group by 1")
                .ToDictionary(r => r.GetProperty("d").GetString()!, r => r.GetProperty("n").GetInt64());
            await page.GetByText("Values").First.ClickAsync();
            Assert.Equal(perDay, await TableAsync(page, "per-day"));
        }
        var runs = await page.Locator("[data-testid='runs'] tbody tr").CountAsync();
        Assert.Equal(DemoStoreFixture.Days, runs);
        Assert.Equal(DemoStoreFixture.Days, await page.Locator("[data-testid='runs'] .status-complete").CountAsync());
        await ScreenshotAsync(page, "overview");
        if (Environment.GetEnvironmentVariable("CLOUDINV_UPDATE_SCREENSHOTS") == "1")
        {
            await page.SetViewportSizeAsync(1400, 900);
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryRoot.Path, "docs", "images", "overview.png") });
        }
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }

    [Fact]
    public async Task The_account_filter_and_the_date_picker_change_the_overview_and_stay_in_the_url()
    {
        await using var opened = await OpenAsync("/");
        var page = opened.Page;
        using var db = store.Open();
        var account = db.Runs.Count > 0 ? store.Query("select account_id from current_aws_ec2_instances group by 1 order by 1 limit 1")[0].GetProperty("account_id").GetString()! : "";
        await page.Locator("select[name='account_id']").SelectOptionAsync(account);
        await page.WaitForURLAsync($"**/?account_id={account}");
        await WaitReadyAsync(page);
        Assert.Equal(store.LatestTotal($" where account_id = '{account}'"), Number(await page.GetByTestId("total-resources").TextContentAsync() ?? ""));
        Assert.Equal([account], (await TableAsync(page, "by-account")).Keys);

        // The date picker: the snapshot of two days ago.
        var day = store.Today.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.Locator("input[name='date']").FillAsync(day);
        await page.WaitForURLAsync($"**date={day}*");
        await WaitReadyAsync(page);
        var expected = store.QueryNumber("select sum(n)::BIGINT from (" + string.Join(" union all ",
            db.TablesWithData.Select(t => $"select count(*) as n from daily_{t} where report_date = DATE '{day}' and account_id = '{account}'")) + ")");
        Assert.Equal(expected, Number(await page.GetByTestId("total-resources").TextContentAsync() ?? ""));

        // A shared link shows the same view.
        await using var shared = await OpenAsync(new Uri(page.Url).PathAndQuery);
        Assert.Equal(expected, Number(await shared.Page.GetByTestId("total-resources").TextContentAsync() ?? ""));
        Assert.Equal(account, await shared.Page.Locator("select[name='account_id']").InputValueAsync());
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }

    [Fact]
    public async Task Changes_shows_the_diff_between_two_dates_with_a_drill_down_to_changed_columns()
    {
        var from = store.Today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = store.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var opened = await OpenAsync($"/changes?from={from}&to={to}");
        var page = opened.Page;
        using var db = store.Open();
        var report = InventoryDiff.Compute(db, new DiffOptions { From = SnapshotReference.Parse(from, store.Today), To = SnapshotReference.Parse(to, store.Today) });
        Assert.Equal(report.Tables.Sum(t => t.AddedCount), Number(await page.GetByTestId("added-total").TextContentAsync() ?? ""));
        Assert.Equal(report.Tables.Sum(t => t.RemovedCount), Number(await page.GetByTestId("removed-total").TextContentAsync() ?? ""));
        Assert.Equal(report.Tables.Sum(t => t.ChangedCount), Number(await page.GetByTestId("changed-total").TextContentAsync() ?? ""));
        await ScreenshotAsync(page, "changes");

        await page.GetByTestId("diff-tables").GetByRole(AriaRole.Button, new() { Name = "aws_ec2_instances", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**diff_table=aws_ec2_instances*");
        await WaitReadyAsync(page);
        var instances = report.Tables.Single(t => t.Table == "aws_ec2_instances");
        Assert.Equal(instances.Changed.Count, await page.Locator("[data-testid='changed-rows'] tbody tr").CountAsync());
        var firstChanged = instances.Changed[0];
        var row = page.Locator("[data-testid='changed-rows'] tbody tr").Filter(new() { HasText = firstChanged.Key["instance_id"] });
        Assert.Equal(firstChanged.Columns.Select(c => c.Column), await row.Locator(".pill").AllTextContentsAsync());
        await ScreenshotAsync(page, "changes-drill-down");
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }

    [Fact]
    public async Task Explorer_pages_sorts_filters_and_opens_a_resource_whose_timeline_matches_the_diff()
    {
        await using var opened = await OpenAsync("/explorer?table=aws_ec2_instances");
        var page = opened.Page;
        var total = store.QueryNumber("select count(*) from current_aws_ec2_instances");
        Assert.Equal($"{total} rows", await page.GetByTestId("inventory-total").TextContentAsync());
        Assert.Equal((int)Math.Min(total, 50), await page.Locator("[data-testid='inventory'] tbody tr").CountAsync());

        // Sorting by a column: the first row is the same as ORDER BY.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sort by instance_type" }).ClickAsync();
        await WaitReadyAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sort by instance_type" }).ClickAsync();
        await page.WaitForURLAsync("**order=desc*");
        await WaitReadyAsync(page);
        var header = await page.Locator("[data-testid='inventory'] thead th").AllTextContentsAsync();
        var typeIndex = header.ToList().FindIndex(h => h.StartsWith("instance_type", StringComparison.Ordinal));
        var top = store.Query("select instance_type from current_aws_ec2_instances order by instance_type desc limit 1")[0].GetProperty("instance_type").GetString();
        Assert.Equal(top, await page.Locator("[data-testid='inventory'] tbody tr").First.Locator("td").Nth(typeIndex).TextContentAsync());

        // A filter.
        await page.Locator("select[name='column']").SelectOptionAsync("instance_type");
        await page.Locator("select[name='op']").SelectOptionAsync("eq");
        await page.Locator("input[name='value']").FillAsync(top!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add filter" }).ClickAsync();
        await page.WaitForURLAsync("**f=instance_type*");
        await WaitReadyAsync(page);
        Assert.Equal($"{store.QueryNumber($"select count(*) from current_aws_ec2_instances where instance_type = '{top}'")} rows", await page.GetByTestId("inventory-total").TextContentAsync());
        await ScreenshotAsync(page, "explorer");

        // One resource: an instance that changed, with its timeline against the diff of the two days.
        using var db = store.Open();
        var days = db.Runs.Select(r => r.ReportDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        (RowChange Row, string Day)? changed = null;
        for (var i = days.Count - 1; i > 0 && changed is null; i--)
        {
            var report = InventoryDiff.Compute(db, new DiffOptions { From = SnapshotReference.Parse(days[i - 1], store.Today), To = SnapshotReference.Parse(days[i], store.Today), TableGlob = "aws_ec2_instances" });
            if (report.Tables.SingleOrDefault()?.Changed.FirstOrDefault() is { } c) changed = (c, days[i]);
        }
        Assert.NotNull(changed);
        var key = JsonSerializer.Serialize(changed.Value.Row.Key);
        await page.GotoAsync(new Uri(store.Server.Address, "/explorer?table=aws_ec2_instances&resource=" + Uri.EscapeDataString(key)).ToString());
        await WaitReadyAsync(page);
        Assert.Contains(changed.Value.Row.Key["instance_id"]!, await page.GetByTestId("record").TextContentAsync(), StringComparison.Ordinal);
        var item = page.Locator($"[data-testid='timeline'] li[data-date='{changed.Value.Day}']");
        Assert.Equal("changed", await item.GetAttributeAsync("data-event"));
        Assert.Equal(changed.Value.Row.Columns.Select(c => c.Column).Order(StringComparer.Ordinal),
            (await item.Locator(".pill").AllTextContentsAsync()).Order(StringComparer.Ordinal));
        await ScreenshotAsync(page, "explorer-resource");
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }

    [Fact]
    public async Task Explorer_exports_the_rows_as_csv()
    {
        await using var opened = await OpenAsync("/explorer?table=aws_ec2_vpcs");
        var download = await opened.Page.RunAndWaitForDownloadAsync(() => opened.Page.GetByText("Export CSV").ClickAsync());
        var path = await download.PathAsync();
        var lines = (await File.ReadAllTextAsync(path)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(store.QueryNumber("select count(*) from current_aws_ec2_vpcs"), lines.Length - 1);
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }

    [Fact]
    public async Task Tags_shows_the_coverage_of_the_required_keys_like_the_same_sql()
    {
        await using var opened = await OpenAsync("/tags");
        var page = opened.Page;
        using var db = store.Open();
        var tagged = db.TablesWithData.Where(t => CloudInventory.Query.InventoryDatabase.HasTags(db.Catalog.Find(t)!)).ToList();
        string Sum(string where) => "select sum(n)::BIGINT from (" + string.Join(" union all ", tagged.Select(t => $"select count(*) as n from current_{t} where {where}")) + ")";
        var keys = await TableAsync(page, "required-keys");
        Assert.Equal(store.QueryNumber(Sum("tags['Owner'] is not null")), keys["Owner"]);
        Assert.Equal(store.QueryNumber(Sum("tags['Application'] is not null")), keys["Application"]);
        Assert.Equal(store.QueryNumber(Sum("tags is null or cardinality(tags) = 0")), Number(await page.GetByTestId("untagged").TextContentAsync() ?? ""));
        await ScreenshotAsync(page, "tags");
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }

    [Fact]
    public async Task Age_and_posture_count_like_the_same_sql()
    {
        await using var opened = await OpenAsync("/posture");
        var page = opened.Page;
        var volumes = await TableAsync(page, "check-aws_ec2_volumes-encryption");
        var expected = store.Query("select case when encrypted then 'encrypted' else 'unencrypted' end as k, count(*) as n from current_aws_ec2_volumes group by 1")
            .ToDictionary(r => r.GetProperty("k").GetString()!, r => r.GetProperty("n").GetInt64());
        Assert.Equal(expected, volumes);
        var ageRow = page.Locator("[data-testid='age'] tbody tr").Filter(new() { HasText = "aws_ec2_instances" });
        var cells = await ageRow.Locator("td").AllTextContentsAsync();
        Assert.Equal(store.QueryNumber("select count(*) from current_aws_ec2_instances"), cells.Skip(2).Sum(Number));
        await ScreenshotAsync(page, "posture");
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }

    [Fact]
    public async Task The_sql_console_shows_the_result_as_a_table_and_a_chart()
    {
        await using var opened = await OpenAsync("/sql");
        var page = opened.Page;
        const string sql = "select region, count(*) as n from current_aws_ec2_subnets group by 1 order by 1";
        await page.GetByLabel("SQL").FillAsync(sql);
        await page.GetByLabel("SQL").PressAsync("Control+Enter");
        await page.WaitForURLAsync("**q=*");
        await WaitReadyAsync(page);
        var expected = store.Query(sql).ToDictionary(r => r.GetProperty("region").GetString()!, r => r.GetProperty("n").GetInt64());
        Assert.Equal(expected, await TableAsync(page, "result"));
        Assert.Equal(1, await page.Locator("canvas[aria-label='Result chart']").CountAsync());
        await ScreenshotAsync(page, "sql");

        await page.GetByLabel("SQL").FillAsync("select * from read_text('/etc/passwd')");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run (Ctrl+Enter)" }).ClickAsync();
        await page.Locator("#error").WaitForAsync();
        Assert.StartsWith("error: refused: the table function read_text()", await page.Locator("#error").TextContentAsync(), StringComparison.Ordinal);
        // The refusal is the one expected failed request (400); nothing else failed.
        Assert.True(opened.Problems.All(p => p.Contains("/api/v1/query", StringComparison.Ordinal) || p.Contains("400", StringComparison.Ordinal)), string.Join("\n", opened.Problems));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/changes")]
    [InlineData("/explorer?table=aws_ec2_vpcs")]
    [InlineData("/tags")]
    [InlineData("/posture")]
    [InlineData("/sql")]
    public async Task Every_control_is_reachable_with_the_keyboard(string path)
    {
        await using var opened = await OpenAsync(path);
        var page = opened.Page;
        const string controls = "a[href], button:not([disabled]), input, select, textarea, summary";
        var ids = await page.EvaluateAsync<int>($"() => {{ let i = 0; for (const e of document.querySelectorAll('{controls}')) if (e.checkVisibility() && e.getClientRects().length) e.dataset.kb = String(i++); return i; }}");
        Assert.True(ids > 10, $"only {ids} controls on {path}");
        var reached = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ids + 20 && reached.Count < ids; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.dataset.kb ?? null") is { } id) reached.Add(id);
        }
        var missed = await page.EvaluateAsync<string[]>($"ids => [...document.querySelectorAll('[data-kb]')].filter(e => !ids.includes(e.dataset.kb)).map(e => e.outerHTML.slice(0, 120))", reached.ToArray());
        Assert.True(missed.Length == 0, "not reached with Tab: " + string.Join("\n", missed));
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }
}
