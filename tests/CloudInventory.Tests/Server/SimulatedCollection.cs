using CloudInventory.Aws.Credentials;
using CloudInventory.Collection;
using CloudInventory.Simulator;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Server;

/// <summary>One day's run of the real collector against the simulated organisation, as the dashboard tests collect their stores.</summary>
internal static class SimulatedCollection
{
    /// <summary>Collects <paramref name="tables"/> for <paramref name="day"/> (report time 06:00 UTC) into <paramref name="store"/> and checks the run succeeded.</summary>
    public static async Task<CollectionResult> CollectDayAsync(SimulatedCloud cloud, string store, DateOnly day, IReadOnlyList<string> tables, S3InventoryStoreOptions? storeOptions = null)
    {
        cloud.Date = day;
        var result = await new InventoryCollector().RunAsync(new CollectOptions
        {
            Credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey)),
            EndpointUrl = cloud.Endpoint,
            Organization = true,
            RoleName = "inventory",
            Tables = tables,
            Store = store,
            StoreOptions = storeOptions,
            RateMultiplier = 100,
            ReportTime = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc)),
        });
        Assert.Equal(0, result.ExitCode);
        return result;
    }
}
