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
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryRoot.Path, "docs", "images", "overview.png") });
        }
        Assert.True(opened.Problems.Count == 0, string.Join("\n", opened.Problems));
    }
}
