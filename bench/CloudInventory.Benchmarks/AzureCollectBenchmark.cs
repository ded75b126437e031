using System.Diagnostics;
using System.Globalization;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Simulator.Azure;

namespace CloudInventory.Benchmarks;

/// <summary>
/// Azure at scale (issue 13): a simulated tenant of N enabled subscriptions of about R resources each, at a fixed
/// latency per call and Resource Graph's default quota (15 calls per 5 s), served by a child process (so its memory is
/// not the collector's), collected (the curated Azure tables, <c>azure_resources</c> and the containers) into a
/// temporary store. Reports wall time, calls, throttles, rows, the collector's peak RSS and the ratio of wall time to
/// the lower bound: the quota lets <c>Q</c> calls through per window, so <c>c</c> Resource Graph calls cannot finish
/// before <c>floor((c - 1) / Q)</c> windows have passed, plus one call's latency.
/// <code>dotnet run -c Release --project bench/CloudInventory.Benchmarks -- azure-collect [--subscriptions 10] [--resources 10000] [--latency-ms 100]</code>
/// </summary>
internal static class AzureCollectBenchmark
{
    public const string Command = "azure-collect";

    /// <summary>The child process's command: serve the tenant until standard input closes.</summary>
    public const string SimulateCommand = "azure-collect-simulator";

    public static async Task<int> SimulateAsync(string[] args)
    {
        var directory = args[Array.IndexOf(args, "--dir") + 1];
        var options = new SimulatedAzureOptions
        {
            Subscriptions = BenchArgs.Int(args, "--subscriptions", 10), Scale = BenchArgs.Double(args, "--scale", 1), Date = new DateOnly(2026, 12, 2),
            CertificateDirectory = directory, Latency = TimeSpan.FromMilliseconds(BenchArgs.Int(args, "--latency-ms", 100)),
        };
        await using var tenant = await SimulatedAzure.StartAsync(options);
        var world = tenant.World;
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").ToList();
        var resources = enabled.Sum(s => world.Resources(s, options.Date!.Value).Count());
        var pages = enabled.Sum(s => Math.Max(1, (world.Resources(s, options.Date!.Value).Count() + 999) / 1000) + Math.Max(1, (world.ResourceContainers(s, options.Date!.Value).Count() + 999) / 1000));
        Console.WriteLine(string.Join('\t', tenant.Endpoint, tenant.CaCertificatePath, world.TenantId, world.ClientId, world.ClientSecret, resources, pages, enabled.Count));
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"simulator: {tenant.RequestCount} requests, {tenant.QuotaExceeded} over quota, peak RSS {BenchArgs.PeakRssBytes() / 1048576.0:F1} MiB"));
        return 0;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var subscriptions = BenchArgs.Int(args, "--subscriptions", 10);
        var resources = BenchArgs.Int(args, "--resources", 10_000);
        var latencyMs = BenchArgs.Int(args, "--latency-ms", 100);
        var directory = Directory.CreateTempSubdirectory("cloudinv-azure-bench-").FullName;
        var store = Path.Combine(directory, "store");
        try
        {
            // Calibrate the scale on one subscription of the world (its size grows linearly with the scale).
            var probeOptions = new SimulatedAzureOptions { Subscriptions = 1, Scale = 10, Date = new DateOnly(2026, 12, 2), CertificateDirectory = directory };
            await using (var probe = await SimulatedAzure.StartAsync(probeOptions))
            {
                var perSubscription = probe.World.Resources(probe.World.Subscriptions.First(s => s.State == "Enabled"), probeOptions.Date!.Value).Count() / 10.0;
                probeOptions.Scale = Math.Max(1, resources / perSubscription);
            }
            var quota = new SimulatedAzureOptions();
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(AzureCollectBenchmark).Assembly.Location);
            foreach (var a in new[] { SimulateCommand, "--dir", directory, "--subscriptions", subscriptions.ToString(CultureInfo.InvariantCulture),
                "--scale", probeOptions.Scale.ToString(CultureInfo.InvariantCulture), "--latency-ms", latencyMs.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
            using var child = Process.Start(start)!;
            var fields = (await child.StandardOutput.ReadLineAsync())!.Split('\t');
            var endpoint = new Uri(fields[0]);
            using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(fields[1]));
            var total = long.Parse(fields[5], CultureInfo.InvariantCulture);
            var pages = int.Parse(fields[6], CultureInfo.InvariantCulture);
            var enabledCount = int.Parse(fields[7], CultureInfo.InvariantCulture);
            var windows = (pages - 1) / quota.QuotaPerWindow;
            var bound = windows * quota.QuotaWindow.TotalSeconds + latencyMs / 1000.0;

            var credential = CloudInventory.Azure.AzureCredentialSource.CreateClientSecret(fields[2], fields[3], fields[4], endpoint, Trusting(ca));
            var collect = new CollectOptions
            {
                Clouds = [Cloud.Azure], Store = store,
                Azure = new AzureCollectOptions { Endpoint = endpoint, Credential = credential, Transport = Trusting(ca) },
            };
            var clock = Stopwatch.StartNew();
            var result = await new InventoryCollector().RunAsync(collect);
            clock.Stop();
            var peak = BenchArgs.PeakRssBytes();
            child.StandardInput.Close();
            await child.WaitForExitAsync();
            var rows = result.Manifest.Files.Where(f => f.Table == "azure_resources").Sum(f => f.Rows);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"azure-collect: {enabledCount} subscriptions, {total:N0} resources, {latencyMs} ms per call, quota {quota.QuotaPerWindow} per {quota.QuotaWindow.TotalSeconds:F0} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  status {result.Manifest.Status}, azure_resources rows {rows:N0}, files {result.Manifest.Files.Count}, HTTP requests {result.Manifest.ApiCalls:N0}, throttles {result.Manifest.Throttles:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  wall {clock.Elapsed.TotalSeconds:F1} s; lower bound {bound:F1} s ({pages} Resource Graph pages, {windows} quota windows); ratio {clock.Elapsed.TotalSeconds / bound:F2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  collector peak RSS (VmHWM; the simulator is a child process) {peak / 1048576.0:F1} MiB"));
            return result.Manifest.Status == CloudInventory.Storage.RunStatus.Complete && rows == total ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static global::Azure.Core.Pipeline.HttpClientTransport Trusting(System.Security.Cryptography.X509Certificates.X509Certificate2 ca)
    {
        var policy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
        {
            TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
            RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(ca);
        var handler = new System.Net.Http.SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = policy;
        return new global::Azure.Core.Pipeline.HttpClientTransport(new System.Net.Http.HttpClient(handler));
    }
}
