using System.Text.Json;
using CloudInventory.Aws.Credentials;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Query;
using CloudInventory.Server;
using CloudInventory.Simulator;
using CloudInventory.Tests.Query;

namespace CloudInventory.Tests.Server;

/// <summary>
/// A demo store (the demo's tables, collected from the simulated organisation for the last few days through the real
/// collector) served by a <see cref="DashboardServer"/> on loopback; shared by the dashboard tests.
/// </summary>
public sealed class DemoStoreFixture : IAsyncLifetime
{
    public const int Days = 5;

    public string Store { get; } = Directory.CreateTempSubdirectory("cloudinv-dash-").FullName;

    public DashboardServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public DateOnly Today { get; } = DateOnly.FromDateTime(DateTime.UtcNow);

    public async Task InitializeAsync()
    {
        await using (var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 42, Accounts = 3, Regions = ["us-east-1", "eu-west-1"], Date = Today }))
        {
            for (var day = Today.AddDays(1 - Days); day <= Today; day = day.AddDays(1))
            {
                cloud.Date = day;
                var result = await new InventoryCollector().RunAsync(new CollectOptions
                {
                    Credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey)),
                    EndpointUrl = cloud.Endpoint,
                    Organization = true,
                    RoleName = "OrganizationAccountAccessRole",
                    Tables = CloudInventory.Cli.Commands.DemoCommand.AwsTables,
                    Store = Store,
                    RateMultiplier = 100,
                    ReportTime = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc)),
                });
                Assert.Equal(0, result.ExitCode);
            }
        }
        Server = await DashboardServer.StartAsync(new DashboardServerOptions
        {
            Store = Store, Listen = "127.0.0.1:0", RequiredTags = ["Owner", "Application"], Today = () => Today,
        });
        Http = new HttpClient { BaseAddress = Server.Address };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Store, recursive: true);
    }

    /// <summary>The same question through <c>cloudinv query --format json</c>: the rows as JSON objects.</summary>
    public IReadOnlyList<JsonElement> Query(string sql)
    {
        var (code, output, error) = CliRunner.Run("query", sql, "--store", Store, "--format", "json");
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>A number answered by <c>cloudinv query</c> (the first column of the first row).</summary>
    public long QueryNumber(string sql) => Query(sql)[0].EnumerateObject().First().Value.GetInt64();

    /// <summary>The store opened directly, for questions the CLI answers through the same library (diff).</summary>
    public InventoryDatabase Open() => InventoryDatabase.Open(Store, TableCatalog.Default);

    /// <summary>The sum of the row counts of the latest snapshot of every table with data (what the Overview's total is).</summary>
    public long LatestTotal(string where = "")
    {
        using var db = Open();
        var tables = db.TablesWithData;
        return QueryNumber("select sum(n)::BIGINT from (" + string.Join(" union all ", tables.Select(t => $"select count(*) as n from current_{t}{where}")) + ")");
    }
}
