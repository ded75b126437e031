using Amazon.Runtime;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Simulator;

/// <summary>One simulator per test class: 3 accounts, 2 regions, a fixed date.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public static readonly DateOnly Day = new(2026, 11, 20);

    public SimulatedCloud Cloud { get; private set; } = null!;

    public AWSCredentials ManagementCredentials => new BasicAWSCredentials(Cloud.ManagementAccessKey, Cloud.SecretFor(Cloud.ManagementAccessKey));

    public TConfig Configure<TConfig>(TConfig config, string region = "us-east-1") where TConfig : ClientConfig
    {
        config.ServiceURL = Cloud.Endpoint.ToString();
        config.AuthenticationRegion = region;
        config.MaxErrorRetry = 0;
        return config;
    }

    public async Task InitializeAsync() =>
        Cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 7, Date = Day, Accounts = 3, Regions = ["us-east-1", "eu-west-1"] });

    public async Task DisposeAsync() => await Cloud.DisposeAsync();
}
