using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using CloudInventory.Azure;
using CloudInventory.Simulator.Azure;

namespace CloudInventory.Tests.Azure;

/// <summary>
/// A simulated Azure tenant for a test, and clients that reach it the way a user's would: a service principal's
/// client secret against the simulator's authority, over TLS validated against the simulator's CA (the standard
/// .NET custom-root chain policy; validation stays on).
/// </summary>
internal sealed class AzureSimulatorSession : IAsyncDisposable
{
    public static readonly DateOnly Day = new(2026, 3, 14);

    private AzureSimulatorSession(SimulatedAzure simulator, string directory)
    {
        Simulator = simulator;
        Directory = directory;
        Transport = TrustingOnly(simulator.CaCertificate);
    }

    public SimulatedAzure Simulator { get; }

    public string Directory { get; }

    public HttpPipelineTransport Transport { get; }

    public static async Task<AzureSimulatorSession> StartAsync(Action<SimulatedAzureOptions>? configure = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("cloudinv-azure-test-").FullName;
        var options = new SimulatedAzureOptions { Date = Day, CertificateDirectory = directory };
        configure?.Invoke(options);
        return new AzureSimulatorSession(await SimulatedAzure.StartAsync(options), directory);
    }

    public TokenCredential Credential(string? secret = null) => AzureCredentialSource.CreateClientSecret(
        Simulator.World.TenantId, Simulator.World.ClientId, secret ?? Simulator.World.ClientSecret, Simulator.AuthorityHost, Transport);

    public AzureClient Client(Action<AzureClientOptions>? configure = null, TokenCredential? credential = null)
    {
        var options = new AzureClientOptions { Endpoint = Simulator.Endpoint, Transport = Transport, MaxRetryDelay = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        return new AzureClient(credential ?? Credential(), options);
    }

    /// <summary>A transport whose TLS trusts exactly one CA (chain, dates and host name are all checked).</summary>
    public static HttpClientTransport TrustingOnly(X509Certificate2 ca) => SimulatedAzure.TransportTrusting(ca);

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
