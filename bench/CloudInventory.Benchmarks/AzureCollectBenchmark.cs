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
/// temporary store. Reports the date and load average, wall time, calls, throttles, rows, the collector's CPU time and
/// peak RSS and the ratio of wall time to the lower bound: the quota lets <c>Q</c> calls through per window, so <c>c</c>
/// Resource Graph calls (the pages of one scan per batch of subscriptions and Resource Graph table) cannot finish before
/// <c>floor((c - 1) / Q)</c> windows have passed, plus one call's latency.
/// <code>dotnet run -c Release --project bench/CloudInventory.Benchmarks -- azure-collect [--subscriptions 10] [--resources 10000] [--latency-ms 100] [--pages-in-flight 4]</code>
/// </summary>
internal static class AzureCollectBenchmark
{
    public const string Command = "azure-collect";

    /// <summary>The child process's command: serve the tenant until standard input closes.</summary>
    public const string SimulateCommand = "azure-collect-simulator";

    public static async Task<int> SimulateAsync(string[] args)
    {
        var directory = args[Array.IndexOf(args, "--dir") + 1];
        var date = new DateOnly(2026, 12, 2);
        // Calibrate the scale on one subscription of the world (its size grows linearly with the scale), here in the
        // simulator's process, so that nothing of the world is in the collector's memory.
        double scale;
        await using (var probe = await SimulatedAzure.StartAsync(new SimulatedAzureOptions { Subscriptions = 1, Scale = 10, Date = date, CertificateDirectory = directory }))
        {
            var perSubscription = probe.World.Resources(probe.World.Subscriptions.First(s => s.State == "Enabled"), date).Count() / 10.0;
            scale = Math.Max(1, BenchArgs.Int(args, "--resources", 10_000) / perSubscription);
        }
        var options = new SimulatedAzureOptions
        {
            Subscriptions = BenchArgs.Int(args, "--subscriptions", 10), Scale = scale, Date = date,
            CertificateDirectory = directory, Latency = TimeSpan.FromMilliseconds(BenchArgs.Int(args, "--latency-ms", 100)),
        };
        await using var tenant = await SimulatedAzure.StartAsync(options);
        var world = tenant.World;
        // The enabled subscriptions in the collector's order, each with the rows of each scan the curated tables make:
        // resources, resource containers, role assignments (authorizationresources) and policy assignments (policyresources).
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").OrderBy(s => s.Id, StringComparer.OrdinalIgnoreCase).ToList();
        var counts = enabled.Select(s => string.Join(':', world.Resources(s, date).Count(), world.ResourceContainers(s, date).Count(),
            world.AuthorizationResources(s, date).Count(), world.PolicyResources(s, date).Count())).ToList();
        Console.WriteLine(string.Join('\t', tenant.Endpoint, tenant.CaCertificatePath, world.TenantId, world.ClientId, world.ClientSecret, string.Join(',', counts)));
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulator (child process): {tenant.RequestCount} requests, {tenant.QuotaExceeded} over quota, CPU {self.TotalProcessorTime.TotalSeconds:F1} s, peak RSS {BenchArgs.PeakRssBytes() / 1048576.0:F1} MiB"));
        return 0;
    }

    /// <summary>
    /// The lower bound of a run: the Resource Graph pages of every scan (one per batch of subscriptions and Resource Graph
    /// table, at least one page each), of which the quota lets <paramref name="quota"/> through per window.
    /// </summary>
    internal static (int Pages, int Windows, double Seconds) Bound(IReadOnlyList<long[]> subscriptions, int perQuery, int pageSize,
        int quota, TimeSpan window, int latencyMs)
    {
        var pages = 0;
        foreach (var batch in subscriptions.Chunk(perQuery))
        {
            for (var scan = 0; scan < batch[0].Length; scan++) pages += (int)Math.Max(1, (batch.Sum(b => b[scan]) + pageSize - 1) / pageSize);
        }
        var windows = (pages - 1) / quota;
        return (pages, windows, windows * window.TotalSeconds + latencyMs / 1000.0);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        InventoryCollector.ReduceMemoryRetention(); // as the CLI does at start
        var subscriptions = BenchArgs.Int(args, "--subscriptions", 10);
        var resources = BenchArgs.Int(args, "--resources", 10_000);
        var latencyMs = BenchArgs.Int(args, "--latency-ms", 100);
        var directory = Directory.CreateTempSubdirectory("cloudinv-azure-bench-").FullName;
        var store = Path.Combine(directory, "store");
        var loadBefore = LoadAverage();
        try
        {
            var quota = new SimulatedAzureOptions();
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(AzureCollectBenchmark).Assembly.Location);
            foreach (var a in new[] { SimulateCommand, "--dir", directory, "--subscriptions", subscriptions.ToString(CultureInfo.InvariantCulture),
                "--resources", resources.ToString(CultureInfo.InvariantCulture), "--latency-ms", latencyMs.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
            using var child = Process.Start(start)!;
            var fields = (await child.StandardOutput.ReadLineAsync())!.Split('\t');
            var endpoint = new Uri(fields[0]);
            using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(fields[1]));
            var counts = fields[5].Split(',').Select(c => c.Split(':').Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray()).ToList();
            var total = counts.Sum(c => c[0]);
            var defaults = new AzureCollectOptions();
            var (pages, windows, bound) = Bound(counts, defaults.SubscriptionsPerQuery, defaults.PageSize, quota.QuotaPerWindow, quota.QuotaWindow, latencyMs);

            var credential = CloudInventory.Azure.AzureCredentialSource.CreateClientSecret(fields[2], fields[3], fields[4], endpoint, Trusting(ca));
            var collect = new CollectOptions
            {
                Clouds = [Cloud.Azure], Store = store,
                Azure = new AzureCollectOptions
                {
                    Endpoint = endpoint, Credential = credential, Transport = Trusting(ca),
                    MaxPagesInFlight = BenchArgs.Int(args, "--pages-in-flight", defaults.MaxPagesInFlight),
                },
            };
            // The tables the run collects (the curated Azure ones, as `cloudinv collect --clouds azure` selects) and the models
            // are built once per process, before the clock: a fixed cost of start-up, reported apart from the run it serves.
            var heapStart = GC.GetTotalMemory(forceFullCollection: true);
            var rssStart = BenchArgs.RssBytes();
            var loading = Stopwatch.StartNew();
            var azureTables = new InventoryCollector().SelectTables([], [Cloud.Azure]).Count;
            loading.Stop();
            var rssCatalog = BenchArgs.RssBytes();
            var heapCatalog = GC.GetTotalMemory(forceFullCollection: true);
            using var me = Process.GetCurrentProcess();
            var cpuBefore = me.TotalProcessorTime;
            // Where the peak comes from: the GC's committed memory, sampled during the run.
            long mostCommitted = 0;
            using var sampler = new Timer(_ => Interlocked.Exchange(ref mostCommitted, Math.Max(Interlocked.Read(ref mostCommitted), GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes)),
                null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
            using var allocations = Environment.GetEnvironmentVariable("CLOUDINV_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
            var clock = Stopwatch.StartNew();
            var result = await new InventoryCollector().RunAsync(collect);
            clock.Stop();
            await sampler.DisposeAsync();
            me.Refresh();
            var cpu = me.TotalProcessorTime - cpuBefore;
            var peak = BenchArgs.PeakRssBytes();
            var loadAfter = LoadAverage();
            child.StandardInput.Close();
            var simulator = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            var rows = result.Manifest.Files.Where(f => f.Table == "azure_resources").Sum(f => f.Rows);
            var allRows = result.Manifest.Files.Where(f => f.Table != "cloudinv_errors").Sum(f => f.Rows);
            var gc = GC.GetGCMemoryInfo();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"azure-collect {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average before {loadBefore}, after {loadAfter}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {counts.Count} enabled subscriptions, {total:N0} resources, {latencyMs} ms per call, quota {quota.QuotaPerWindow} per {quota.QuotaWindow.TotalSeconds:F0} s, {defaults.SubscriptionsPerQuery} subscriptions per query, {collect.Azure.MaxPagesInFlight} pages in flight"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  status {result.Manifest.Status}, azure_resources rows {rows:N0} (world {total:N0}), rows in all tables {allRows:N0}, files {result.Manifest.Files.Count}, HTTP requests {result.Manifest.ApiCalls:N0}, throttles {result.Manifest.Throttles:N0}, errors {result.Errors.Count}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  wall {clock.Elapsed.TotalSeconds:F1} s; lower bound {bound:F1} s ({pages} Resource Graph pages, {windows} quota windows of {quota.QuotaWindow.TotalSeconds:F0} s + one call); ratio {clock.Elapsed.TotalSeconds / bound:F2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  before the clock: the run's {azureTables:N0} Azure tables built in {loading.Elapsed.TotalSeconds:F1} s; RSS {rssStart / 1048576.0:F1} MiB before it, {rssCatalog / 1048576.0:F1} MiB after (live heap {heapStart / 1048576.0:F1} MiB before it, {heapCatalog / 1048576.0:F1} MiB after)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  collector CPU {cpu.TotalSeconds:F1} s (user+system, this process); peak RSS (VmHWM) {peak / 1048576.0:F1} MiB; GC heap at last GC {gc.HeapSizeBytes / 1048576.0:F1} MiB (large objects {gc.GenerationInfo[3].SizeAfterBytes / 1048576.0:F1} MiB; committed {gc.TotalCommittedBytes / 1048576.0:F1} MiB, most committed during the run {Interlocked.Read(ref mostCommitted) / 1048576.0:F1} MiB), Parquet native peak {ParquetSharp.MemoryPool.JemallocMemoryPool().MaxMemory / 1048576.0:F1} MiB, allocated {GC.GetTotalAllocatedBytes() / 1048576.0:N0} MiB, server GC {System.Runtime.GCSettings.IsServerGC}"));
            Console.Write("  " + simulator);
            if (allocations is not null)
            {
                Console.WriteLine("  allocations during the run, by type (sampled):");
                allocations.Print(Console.Out);
            }
            return result.Manifest.Status == CloudInventory.Storage.RunStatus.Complete && rows == total ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

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
