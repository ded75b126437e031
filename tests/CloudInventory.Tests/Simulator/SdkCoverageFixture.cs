using Amazon.Runtime;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Simulator;

/// <summary>
/// One simulator for the SDK coverage checks: a larger world (scale 5) so every checked listing spans
/// several pages, with factories for the engine's client and the SDK's typed clients.
/// </summary>
public sealed class SdkCoverageFixture : IAsyncLifetime
{
    public static readonly DateOnly Day = new(2026, 11, 20);

    public SimulatedCloud Cloud { get; private set; } = null!;

    public AWSCredentials Credentials => new BasicAWSCredentials(Cloud.ManagementAccessKey, Cloud.SecretFor(Cloud.ManagementAccessKey));

    public AwsClient Engine(string region = "us-east-1") => new(new AwsClientOptions
    {
        Region = region,
        Credentials = AwsCredentialSource.Static(Cloud.ManagementAccessKey, Cloud.SecretFor(Cloud.ManagementAccessKey)),
        EndpointUrl = Cloud.Endpoint,
        MaxAttempts = 1,
    });

    public async Task InitializeAsync() =>
        Cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 11, Date = Day, Accounts = 1, Regions = ["us-east-1", "eu-west-1"], Scale = 5 });

    public async Task DisposeAsync() => await Cloud.DisposeAsync();
}
