using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CloudInventory.Aws.Credentials;
using CloudInventory.Collection;
using CloudInventory.Simulator;

namespace CloudInventory.Benchmarks;

/// <summary>
/// Benchmark 2 of issue 5, memory: peak RSS of the collector for about 1,000,000 resources, then about 100,000
/// (aws_ec2_instances, page size 1000). Each size runs two child processes of this program: the simulator, and the
/// collector whose VmHWM (peak RSS, /proc/self/status) is read at the end of its run, so the simulator's memory
/// does not count. The organisation has the same accounts and regions for both sizes; only the world's scale differs.
/// <code>dotnet run -c Release --project bench/CloudInventory.Benchmarks -- collect-memory [--sizes 1000000,100000] [--accounts 10] [--regions 5] [--concurrency 32]</code>
/// </summary>
internal static class CollectMemoryBenchmark
{
    public const string SimulateCommand = "collect-memory-simulator";
    public const string CollectCommand = "collect-memory-collector";

    // aws_ec2_instances has a base of 8 per (account, region) at scale 1 (SimulatedWorld.Instances).
    private const double InstancesPerUnitAtScale1 = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (BenchArgs.Text(args, "--sizes") ?? "1000000,100000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var accounts = BenchArgs.Int(args, "--accounts", 10);
        var regions = BenchArgs.Int(args, "--regions", 5);
        var concurrency = BenchArgs.Int(args, "--concurrency", new CollectOptions().Concurrency);
        var output = Console.Out;
        var failed = false;
        foreach (var size in sizes)
        {
            // The last account is suspended and skipped, so accounts - 1 hold instances.
            var scale = size / (InstancesPerUnitAtScale1 * (accounts - 1) * regions);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"~{size:N0} resources: {accounts} accounts × {regions} regions, scale {scale:F1}, page size 1000, concurrency {concurrency}"));
            var store = Path.Combine(Path.GetTempPath(), $"cloudinv-memory-bench-{Environment.ProcessId}-{size}");
            using var simulator = Start(SimulateCommand, "--accounts", accounts.ToString(CultureInfo.InvariantCulture),
                "--cache", (2 * concurrency).ToString(CultureInfo.InvariantCulture),
                "--regions", regions.ToString(CultureInfo.InvariantCulture), "--scale", scale.ToString("R", CultureInfo.InvariantCulture));
            var simulatorErrors = new System.Text.StringBuilder();
            simulator.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (simulatorErrors) simulatorErrors.AppendLine(e.Data); };
            simulator.BeginErrorReadLine();
            try
            {
                var ready = await simulator.StandardOutput.ReadLineAsync().ConfigureAwait(false)
                    ?? throw new InvalidOperationException("the simulator process exited without starting");
                var endpoint = ready.Split(' ');
                using var collector = Start(CollectCommand, "--endpoint", endpoint[0], "--key", endpoint[1], "--secret", endpoint[2],
                    "--regions", endpoint[3], "--store", store, "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture));
                var report = await collector.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
                var errors = await collector.StandardError.ReadToEndAsync().ConfigureAwait(false);
                await collector.WaitForExitAsync().ConfigureAwait(false);
                output.Write(report);
                if (errors.Length > 0) output.Write(errors);
                lock (simulatorErrors) if (simulatorErrors.Length > 0) output.Write("simulator: " + simulatorErrors.ToString()[..Math.Min(2000, simulatorErrors.Length)]);
                failed |= collector.ExitCode != 0;
            }
            finally
            {
                // Closing its stdin stops the simulator, which then prints its own peak RSS.
                simulator.StandardInput.Close();
                var rest = simulator.StandardOutput.ReadToEndAsync();
                if (!simulator.WaitForExit(TimeSpan.FromSeconds(10))) simulator.Kill();
                if (rest.Wait(TimeSpan.FromSeconds(5)) && rest.Result.Length > 0) output.Write(rest.Result);
                if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
            }
        }
        return failed ? 1 : 0;
    }

    /// <summary>
    /// The simulator child: prints "endpoint key secret regions", serves until its stdin closes, then prints its own
    /// peak RSS (VmHWM) and request count.
    /// </summary>
    public static async Task<int> SimulateAsync(string[] args)
    {
        var regions = CollectScaleBenchmark.StandardRegions.Take(BenchArgs.Int(args, "--regions", 5)).ToArray();
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions
        {
            Port = 0, Accounts = BenchArgs.Int(args, "--accounts", 10), Regions = regions, Scale = BenchArgs.Double(args, "--scale", 1),
            PageSize = 1000, Date = DateOnly.FromDateTime(DateTime.UtcNow), PagedResultCacheSize = BenchArgs.Int(args, "--cache", 64),
        }).ConfigureAwait(false);
        Console.Out.WriteLine($"{cloud.Endpoint} {cloud.ManagementAccessKey} {cloud.SecretFor(cloud.ManagementAccessKey)} {string.Join(',', regions)}");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        var gc = GC.GetGCMemoryInfo();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  simulator: peak RSS (VmHWM) {BenchArgs.PeakRssBytes() / 1048576.0:F1} MiB, RSS at end {BenchArgs.RssBytes() / 1048576.0:F1} MiB, GC heap {gc.HeapSizeBytes / 1048576.0:F1} MiB, " +
            $"requests {cloud.RequestCount:N0}, most concurrent {cloud.MaxConcurrentRequests}, total allocated {GC.GetTotalAllocatedBytes() / 1048576.0:N0} MiB, gen2 GCs {GC.CollectionCount(2)}, server GC {System.Runtime.GCSettings.IsServerGC}"));
        Console.Out.Flush();
        return 0;
    }

    /// <summary>The collector child: one run of aws_ec2_instances, then its peak RSS and counts as a line of text and a JSON line.</summary>
    public static async Task<int> CollectAsync(string[] args)
    {
        InventoryCollector.ReduceMemoryRetention(); // as the CLI does at start
        using var allocations = Environment.GetEnvironmentVariable("CLOUDINV_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
        var clock = Stopwatch.StartNew();
        var store = BenchArgs.Text(args, "--store")!;
        // What the GC held at its collections during the run: the most it found before a gen0 collection (the young
        // generation's budget, used up) and the most it kept committed.
        long gen0Before = 0, committed = 0, heapBefore = 0, mallocArena = 0, mallocInUse = 0;
        var generations = "";
        using var sampler = new Timer(_ =>
        {
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            mallocArena = Math.Max(mallocArena, Storage.SinkMemoryBenchmark.MallocArenaBytes());
            mallocInUse = Math.Max(mallocInUse, Storage.SinkMemoryBenchmark.MallocInUse());
            gen0Before = Math.Max(gen0Before, info.GenerationInfo[0].SizeBeforeBytes);
            heapBefore = Math.Max(heapBefore, info.GenerationInfo.ToArray().Sum(g => g.SizeBeforeBytes));
            // The generations' sizes when the GC held the most (gen0, gen1, gen2, large and pinned objects).
            if (info.TotalCommittedBytes > committed) generations = string.Join(" / ", info.GenerationInfo.ToArray().Select(g => (g.SizeBeforeBytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture)));
            committed = Math.Max(committed, info.TotalCommittedBytes);
        }, null, 0, 50);
        var result = await new InventoryCollector().RunAsync(new CollectOptions
        {
            Credentials = AwsCredentialSource.Static(BenchArgs.Text(args, "--key")!, BenchArgs.Text(args, "--secret")!),
            EndpointUrl = new Uri(BenchArgs.Text(args, "--endpoint")!),
            Organization = true,
            RoleName = "OrganizationAccountAccessRole",
            Regions = BenchArgs.Text(args, "--regions")!.Split(','),
            Tables = BenchArgs.Text(args, "--tables") is { } tables ? (tables == "all" ? [] : tables.Split(',')) : ["aws_ec2_instances"],
            Store = store,
            Concurrency = BenchArgs.Int(args, "--concurrency", 32),
            RateMultiplier = 100, // the simulator has no limits to respect; this benchmark is about memory
        }).ConfigureAwait(false);
        clock.Stop();
        // Read before the forced collection below, which is the benchmark's own and not part of a run.
        var peak = BenchArgs.PeakRssBytes();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        var rows = result.Manifest.Files.Where(f => f.Table == "aws_ec2_instances").Sum(f => f.Rows);
        var bytes = Directory.EnumerateFiles(store, "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        sampler.Dispose();
        allocations?.Print(Console.Out);
        var governor = CloudInventory.Collection.Internal.YoungGenerationGovernor.Process;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  young-generation governor: {governor.ForcedCollections} collections, {governor.ForcedPause.TotalSeconds:F2} s in them, budget now {governor.CurrentBudgetBytes / 1048576.0:F0} MiB"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  at the GC's most committed, generations 0/1/2/large/pinned {generations} MiB; glibc most in arenas {mallocArena / 1048576.0:F0} MiB, most in use {mallocInUse / 1048576.0:F0} MiB"));
        var gc = GC.GetGCMemoryInfo();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  GC during the run: most committed {committed / 1048576.0:F1} MiB, largest heap before a GC {heapBefore / 1048576.0:F1} MiB, largest gen0 before a GC {gen0Before / 1048576.0:F1} MiB, gen0/1/2 GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  rows {rows:N0}, API calls {result.Manifest.ApiCalls:N0}, status {result.Manifest.Status}, wall {clock.Elapsed.TotalSeconds:F1} s, CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s, parquet {bytes / 1e6:F1} MB; " +
            $"peak RSS (VmHWM) {peak / 1048576.0:F1} MiB, RSS at end {BenchArgs.RssBytes() / 1048576.0:F1} MiB, GC heap at last GC {gc.HeapSizeBytes / 1048576.0:F1} MiB (committed {gc.TotalCommittedBytes / 1048576.0:F1} MiB), total allocated {GC.GetTotalAllocatedBytes() / 1048576.0:N0} MiB, Parquet native peak {ParquetSharp.MemoryPool.JemallocMemoryPool().MaxMemory / 1048576.0:F1} MiB, live after the run {live / 1048576.0:F1} MiB, gen2 GCs {GC.CollectionCount(2)}"));
        Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["rows"] = rows, ["api_calls"] = result.Manifest.ApiCalls, ["status"] = result.Manifest.Status.ToString(), ["wall_s"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["peak_rss_bytes"] = peak, ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
        }));
        return result.ExitCode;
    }

    private static Process Start(string command, params string[] args)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var self = typeof(CollectMemoryBenchmark).Assembly.Location;
        if (Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.FileName = host;
            info.ArgumentList.Add(self);
        }
        else
        {
            info.FileName = Environment.ProcessPath!;
        }
        info.ArgumentList.Add(command);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start " + command);
    }
}
