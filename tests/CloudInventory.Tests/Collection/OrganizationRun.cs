using CloudInventory.Aws.Credentials;
using CloudInventory.Collection;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Collection;

/// <summary>
/// One collection run of every curated table, shared by a test class: a simulated organisation of five accounts
/// (the last suspended) with two enabled regions, collected for those regions and the opt-in one no account enabled.
/// Pages hold two items, so almost every listing pages.
/// </summary>
public sealed class OrganizationRun : IAsyncLifetime
{
    /// <summary>The simulated day.</summary>
    public static readonly DateOnly Day = new(2026, 11, 20);

    /// <summary>The regions the run asks for; ap-east-1 is enabled nowhere.</summary>
    public static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-east-1"];

    /// <summary>The run's report time.</summary>
    public static readonly DateTimeOffset ReportTime = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    /// <summary>The region global tables are collected from.</summary>
    public const string HomeRegion = "us-east-1";

    /// <summary>The simulated cloud.</summary>
    public SimulatedCloud Cloud { get; private set; } = null!;

    /// <summary>The local store the run wrote.</summary>
    public string Store { get; } = Directory.CreateTempSubdirectory("cloudinv-oracle-").FullName;

    /// <summary>The run's result.</summary>
    public CollectionResult Result { get; private set; } = null!;

    private WorldOracle.Expectation? _expected;

    /// <summary>What the world holds for the run (computed once, on first use).</summary>
    internal WorldOracle.Expectation Expected => _expected ??= new WorldOracle(Cloud.World, Day, CloudInventory.Catalog.TableCatalog.Default.Curated.Where(t => t.Cloud == CloudInventory.Catalog.Cloud.Aws).ToList(), HomeRegion)
        .Expected(ActiveAccounts, Cloud.World.ManagementAccount.Id, Regions.Where(Cloud.World.Regions.Contains).ToList());

    /// <summary>The organisation's active accounts, in order.</summary>
    public IReadOnlyList<string> ActiveAccounts =>
        Cloud.World.Accounts.Where(a => a.Status == "ACTIVE").Select(a => a.Id).Order(StringComparer.Ordinal).ToList();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 5, Date = Day, Accounts = 5, Regions = ["us-east-1", "eu-west-1"], PageSize = 2 });
        Result = await new InventoryCollector().RunAsync(new CollectOptions
        {
            Credentials = AwsCredentialSource.Static(Cloud.ManagementAccessKey, Cloud.SecretFor(Cloud.ManagementAccessKey)),
            EndpointUrl = Cloud.Endpoint,
            Organization = true,
            RoleName = "inventory",
            Regions = Regions,
            HomeRegion = HomeRegion,
            Store = Store,
            RateMultiplier = 100,
            ReportTime = ReportTime,
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cloud.DisposeAsync();
        Directory.Delete(Store, recursive: true);
    }
}
