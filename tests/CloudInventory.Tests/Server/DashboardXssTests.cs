using CloudInventory.Server;
using CloudInventory.Tests.Query;
using Microsoft.Playwright;

namespace CloudInventory.Tests.Server;

/// <summary>Hostile values in the store (tag values, names) render as text on every page: nothing they contain runs.</summary>
[Collection(DemoStoreCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardXssTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Script = "<script>window.__xss = 1</script>";
    private const string Image = "<img src=x onerror=\"window.__xss = 2\">";
    private readonly TestStore _store = new();
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _store.AddRun(DateTime.UtcNow.Date.AddHours(6), r => r.Table("aws_ec2_instances",
            $"SELECT 'i-0hostile' AS instance_id, '111111111111' AS account_id, 'eu-west-1' AS region, '{Image.Replace("'", "''", StringComparison.Ordinal)}' AS instance_type, " +
            $"MAP {{'Owner': '{Script}', '{Image.Replace("'", "''", StringComparison.Ordinal)}': 'x'}} AS tags, NULL::TIMESTAMPTZ AS report_time"));
        _server = await DashboardServer.StartAsync(new DashboardServerOptions { Store = _store.Root, Listen = "127.0.0.1:0", RequiredTags = ["Owner"] });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
    }

    [Theory]
    [InlineData("/explorer?table=aws_ec2_instances", "inventory")]
    [InlineData("/tags", "tag-values")]
    [InlineData("/sql?q=select+tags%5B%27Owner%27%5D+as+owner+from+current_aws_ec2_instances", "result")]
    public async Task Hostile_tag_values_render_as_text(string path, string testId)
    {
        var context = await browser.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var dialogs = 0;
            page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
            await page.GotoAsync(new Uri(_server.Address, path).ToString());
            await page.WaitForFunctionAsync("() => document.body.dataset.ready && !document.querySelector('main[aria-busy]')");
            var shown = await page.GetByTestId(testId).TextContentAsync();
            Assert.Contains(Script, shown, StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator($"[data-testid='{testId}'] script, [data-testid='{testId}'] img").CountAsync());
            Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
            Assert.Equal(0, dialogs);
        }
        finally
        {
            await context.DisposeAsync();
        }
    }
}
