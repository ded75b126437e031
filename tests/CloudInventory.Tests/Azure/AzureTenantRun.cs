using System.Text.Json;
using CloudInventory.Cli;
using CloudInventory.Cli.Commands;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Azure;

/// <summary>
/// One <c>cloudinv collect --clouds azure</c> against a simulated tenant (three enabled subscriptions and the disabled
/// one, secrets planted where real Azure never returns them), shared by the Azure world oracle's tests.
/// </summary>
public sealed class AzureTenantRun : IAsyncLifetime
{
    private AzureSimulatorSession? _session;

    /// <summary>The simulated tenant.</summary>
    internal AzureSimulatorSession Session => _session ?? throw new InvalidOperationException("not started");

    /// <summary>The local store the run wrote.</summary>
    public string Store { get; } = Directory.CreateTempSubdirectory("cloudinv-azure-oracle-").FullName;

    /// <summary>The command's exit code, output (the JSON summary) and error output.</summary>
    public (int Code, string Stdout, string Stderr) Cli { get; private set; }

    /// <summary>The run's manifest.</summary>
    public RunManifest Manifest { get; private set; } = null!;

    /// <summary>The subscriptions the summary says were collected.</summary>
    public IReadOnlyList<string> Accounts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _session = await AzureSimulatorSession.StartAsync(o =>
        {
            o.Subscriptions = 3;
            o.Scale = 2;
            o.PlantSecrets = true;
        });
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        CollectCommand.AzureConnection.Value = (Session.Credential(), Session.Transport);
        try
        {
            var code = await CliApp.InvokeAsync(["collect", "--clouds", "azure", "--azure-endpoint", Session.Simulator.Endpoint.ToString(), "--store", Store, "--json"], stdout, stderr);
            Cli = (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            CollectCommand.AzureConnection.Value = null;
        }
        if (Cli.Code != 0) throw new InvalidOperationException($"collect failed ({Cli.Code}): {Cli.Stderr}");
        using var summary = JsonDocument.Parse(Cli.Stdout);
        Accounts = summary.RootElement.GetProperty("accounts").EnumerateArray().Select(a => a.GetString()!).ToList();
        Manifest = RunManifest.FromJson(await File.ReadAllTextAsync(Path.Combine(Store, summary.RootElement.GetProperty("manifest").GetString()!)));
    }

    /// <summary>The quoted paths of a table's files, for read_parquet([...]); empty when the run wrote none.</summary>
    public string Files(string table) => string.Join(", ", Manifest.Files.Where(f => f.Table == table).Select(f => $"'{Path.Combine(Store, f.Path)}'"));

    public async Task DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
        Directory.Delete(Store, recursive: true);
    }
}
