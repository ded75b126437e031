using System.Globalization;
using System.Text.Json;
using CloudInventory.Query;
using CloudInventory.Server;
using CloudInventory.Simulator;
using CloudInventory.Tests.Storage;
using Microsoft.Playwright;

namespace CloudInventory.Tests.Server;

/// <summary>
/// <c>serve</c> over an <c>s3://</c> store in a real S3 implementation (s3rver): the same days are collected into a local
/// directory and into S3, and the dashboard over S3 answers as the one over the local store, downloading only what a
/// request needs into its cache; the Overview page draws from it in Chromium.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DashboardS3Tests(S3rverFixture s3, BrowserFixture browser) : IClassFixture<S3rverFixture>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private static readonly DateOnly First = new(2026, 7, 1);
    private const int Days = 3;
    private static readonly string[] s_tables = ["aws_ec2_instances", "aws_ec2_subnets", "aws_s3_buckets"];
    private readonly string _local = Directory.CreateTempSubdirectory("cloudinv-dash-s3-local-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("cloudinv-dash-s3-cache-").FullName;
    private readonly string _prefix = "dash-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<DashboardServer> _servers = [];

    private string Location => $"s3://{S3rverFixture.Bucket}/{_prefix}";

    public async Task InitializeAsync()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 5, Accounts = 2, Regions = ["us-east-1", "eu-west-1"] });
        for (var day = First; day < First.AddDays(Days); day = day.AddDays(1))
        {
            await SimulatedCollection.CollectDayAsync(cloud, _local, day, s_tables);
            await SimulatedCollection.CollectDayAsync(cloud, Location, day, s_tables, s3.Options(_prefix));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
        Directory.Delete(_local, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }

    private async Task<HttpClient> ServeAsync(string store, string? cache = null)
    {
        var server = await DashboardServer.StartAsync(new DashboardServerOptions
        {
            Store = store,
            Listen = "127.0.0.1:0",
            Today = () => First.AddDays(Days - 1),
            Database = new InventoryDatabaseOptions { S3 = s3.Options(_prefix), CacheDirectory = cache ?? _cache },
        });
        _servers.Add(server);
        return new HttpClient { BaseAddress = server.Address };
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The store's data files in the cache (manifests excluded).</summary>
    private static string[] CachedDataFiles(string cache) =>
        Directory.EnumerateFiles(cache, "*.parquet", SearchOption.AllDirectories).Where(f => !f.Contains("_hashes", StringComparison.Ordinal)).ToArray();

    // Run ids differ between the two stores (each run draws its own); everything else is the same.
    private static string WithoutRunId(JsonElement body)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(body.GetRawText())!;
        if (node is System.Text.Json.Nodes.JsonObject o) o.Remove("run_id");
        return node.ToJsonString();
    }

    [Fact]
    public async Task The_api_over_s3_answers_as_over_the_local_store()
    {
        using var local = await ServeAsync(_local);
        using var remote = await ServeAsync(Location);
        string[] paths =
        [
            "/api/v1/tables",
            "/api/v1/trend?by=table",
            "/api/v1/trend?by=account&since=" + Day(First.AddDays(1)),
            "/api/v1/trend?by=region&tag=Environment%3Dprod",
            $"/api/v1/churn?since={Day(First.AddDays(1))}",
            $"/api/v1/inventory/aws_ec2_instances?report_date={Day(First.AddDays(1))}&sort=instance_id&max_results=1000",
            "/api/v1/tags?table=aws_ec2_instances",
        ];
        foreach (var path in paths)
        {
            Assert.Equal(WithoutRunId(await GetAsync(local, path)), WithoutRunId(await GetAsync(remote, path)));
        }
        var from = Day(First);
        var to = Day(First.AddDays(Days - 1));
        static IEnumerable<string> Counts(JsonElement diff) => diff.GetProperty("tables").EnumerateArray()
            .Select(t => $"{t.GetProperty("table")} +{t.GetProperty("added")} -{t.GetProperty("removed")} ~{t.GetProperty("changed")}");
        var expected = Counts(await GetAsync(local, $"/api/v1/diff?from={from}&to={to}&summary=true")).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Counts(await GetAsync(remote, $"/api/v1/diff?from={from}&to={to}&summary=true")));
        foreach (var page in new[] { "/", "/changes", "/explorer", "/tags", "/posture", "/sql" })
        {
            using var response = await remote.GetAsync(page);
            Assert.True(response.IsSuccessStatusCode, page);
        }
    }

    [Fact]
    public async Task A_one_day_view_downloads_only_that_days_file_and_counts_download_nothing()
    {
        var cache = Directory.CreateTempSubdirectory("cloudinv-dash-s3-fresh-").FullName;
        try
        {
            using var remote = await ServeAsync(Location, cache);
            // Counts come from the manifests (synced on opening): no data file is downloaded for the Overview's numbers.
            var trend = await GetAsync(remote, "/api/v1/trend?by=table");
            Assert.Equal(Days, trend.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("report_date").GetString()).Distinct().Count());
            Assert.Empty(CachedDataFiles(cache));

            var day = Day(First.AddDays(1));
            var rows = await GetAsync(remote, $"/api/v1/inventory/aws_ec2_instances?report_date={day}");
            Assert.NotEmpty(rows.GetProperty("rows").EnumerateArray());
            var file = Assert.Single(CachedDataFiles(cache));
            Assert.Contains($"aws/ec2/instances/report_date={day}/", file.Replace('\\', '/'), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task The_overview_page_draws_from_the_s3_store_in_chromium_with_the_local_stores_numbers()
    {
        using var local = await ServeAsync(_local);
        var trend = await GetAsync(local, $"/api/v1/trend?by=table&since={Day(First.AddDays(Days - 1))}");
        var expected = trend.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64());
        using var remote = await ServeAsync(Location);

        var context = await browser.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var problems = new List<string>();
            page.Console += (_, m) => { if (m.Type is "error" or "warning") problems.Add($"console {m.Type}: {m.Text}"); };
            page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"HTTP {r.Status}: {r.Url}"); };
            await page.GotoAsync(remote.BaseAddress!.ToString());
            await page.WaitForFunctionAsync("() => document.body.dataset.ready && !document.querySelector('main[aria-busy]')");
            Assert.False(await page.Locator("#error").IsVisibleAsync());
            var shown = await page.GetByTestId("total-resources").TextContentAsync() ?? "";
            Assert.Equal(expected, long.Parse(shown.Replace(",", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture));
            Assert.Empty(problems);
        }
        finally
        {
            await context.DisposeAsync();
        }
    }
}
