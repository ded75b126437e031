using System.Diagnostics;
using System.Globalization;
using CloudInventory.Aws.Credentials;
using CloudInventory.Collection;
using CloudInventory.Simulator;

namespace CloudInventory.Benchmarks;

/// <summary>
/// Benchmark 1 of issue 5, scale: an organisation of 50 accounts × the 17 standard commercial regions in the
/// simulator at 50 ms per call, the 67 seed-parity tables, collected into a temporary store with the collector's
/// default concurrency and AWS-level rate limits. Reports wall time, API calls, throttles, resources and the ratio
/// of wall time to the lower bound (see <see cref="Run"/>). Deletes the store afterwards unless <c>--keep</c>.
/// <code>dotnet run -c Release --project bench/CloudInventory.Benchmarks -- collect-scale [--accounts 50] [--scale 1] [--latency-ms 50] [--page-size 100] [--concurrency 32] [--keep]</code>
/// </summary>
internal static class CollectScaleBenchmark
{
    /// <summary>The 17 commercial regions enabled by default in every account.</summary>
    public static readonly string[] StandardRegions =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
        "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
    ];

    /// <summary>The resources of the system we start from (issue 3), as table names.</summary>
    public static readonly string[] SeedParityTables =
    [
        .. ("acm.certificates apigateway.rest_apis apigatewayv2.apis applicationautoscaling.scaling_policies " +
            "athena.work_groups athena.data_catalogs athena.databases autoscaling.auto_scaling_groups " +
            "autoscaling.launch_configurations backup.backup_vaults backup.backup_plans cloudformation.stacks " +
            "cloudfront.distributions cloudtrail.trails cloudwatch.metric_alarms cloudwatch.composite_alarms " +
            "cloudwatchlogs.log_groups dynamodb.tables ec2.addresses ec2.dhcp_options ec2.images ec2.instances " +
            "ec2.internet_gateways ec2.managed_prefix_lists ec2.nat_gateways ec2.network_acls " +
            "ec2.network_interfaces ec2.placement_groups ec2.reserved_instances ec2.route_tables " +
            "ec2.security_groups ec2.subnets ec2.transit_gateway_peering_attachments " +
            "ec2.transit_gateway_route_tables ec2.transit_gateway_vpc_attachments ec2.transit_gateways " +
            "ec2.volumes ec2.vpc_endpoints ec2.vpc_peering_connections ec2.vpcs ec2.vpn_gateways " +
            "ecr.repositories ecs.clusters ecs.services ecs.tasks efs.file_systems elasticache.cache_clusters " +
            "elasticloadbalancing.load_balancers elasticloadbalancingv2.load_balancers " +
            "elasticloadbalancingv2.target_groups iam.groups iam.policies iam.roles iam.users kms.keys " +
            "lambda.functions rds.db_clusters rds.db_instances redshift.clusters route53.hosted_zones s3.buckets " +
            "secretsmanager.secrets sns.topics sns.subscriptions sqs.queues ssm.parameters storagegateway.gateways")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => "aws_" + n.Replace('.', '_')),
    ];

    /// <summary>
    /// Runs the benchmark. The lower bound is the larger of two floors no scheduler can beat:
    /// (a) the rate limits: each (account, region, service) scope has its own token bucket, so the run cannot end
    /// before its busiest scope has made its calls, <c>max over scopes of LowerBound(service, calls in scope)</c>;
    /// (b) latency and concurrency: every call takes the simulated latency and at most <c>concurrency</c> work units
    /// run at once, so <c>total calls × latency / concurrency</c>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // As the CLI does at start (the young-generation governor then also counts the in-process simulator's
        // allocations, so it collects more often than it would in the CLI alone).
        InventoryCollector.ReduceMemoryRetention();
        var accounts = BenchArgs.Int(args, "--accounts", 50);
        var scale = BenchArgs.Double(args, "--scale", 1.0);
        var latencyMs = BenchArgs.Int(args, "--latency-ms", 50);
        var pageSize = BenchArgs.Int(args, "--page-size", 100);
        var concurrency = BenchArgs.Int(args, "--concurrency", new CollectOptions().Concurrency);
        var keep = args.Contains("--keep");
        var store = BenchArgs.Text(args, "--store") ?? Path.Combine(Path.GetTempPath(), "cloudinv-scale-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var output = Console.Out;

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions
        {
            Port = 0, Accounts = accounts, Regions = StandardRegions, Scale = scale, PageSize = pageSize,
            Latency = new LatencyDistribution(latencyMs, latencyMs), Date = today,
        }).ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulator {cloud.Endpoint}: {accounts} accounts × {StandardRegions.Length} regions, scale {scale}, {latencyMs} ms per call, page size {pageSize}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"collecting {SeedParityTables.Length} tables, concurrency {concurrency}, rate multiplier 1 (AWS-level limits) into {store}"));

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        // Calls in flight, sampled every 250 ms: shows whether the run keeps its concurrency busy to the end.
        var samples = new List<(double Seconds, int InFlight, long Served)>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                lock (samples) samples.Add((clock.Elapsed.TotalSeconds, cloud.ConcurrentRequests, cloud.RequestCount));
                try { await Task.Delay(250, sampling.Token).ConfigureAwait(false); } catch (OperationCanceledException) { break; }
            }
        });
        CollectionResult result;
        try
        {
            result = await new InventoryCollector().RunAsync(new CollectOptions
            {
                Credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey)),
                EndpointUrl = cloud.Endpoint,
                Organization = true,
                RoleName = "OrganizationAccountAccessRole",
                Regions = StandardRegions,
                Tables = SeedParityTables,
                Store = store,
                Concurrency = concurrency,
                RateMultiplier = 1.0,
            }).ConfigureAwait(false);
        }
        finally
        {
            clock.Stop();
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
        }
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        try
        {
            var m = result.Manifest;
            var resources = m.Files.Where(f => f.Table != "cloudinv_errors").Sum(f => f.Rows);
            var scopes = cloud.RequestsByScope();
            var limiter = new AdaptiveRateLimiter(1.0);
            var busiest = scopes.Select(kv => (Scope: kv.Key, Calls: kv.Value, Bound: limiter.LowerBound(kv.Key.Service, kv.Value)))
                .OrderByDescending(x => x.Bound).ThenByDescending(x => x.Calls).First();
            var served = scopes.Values.Sum();
            var latencyBound = TimeSpan.FromMilliseconds((double)served * latencyMs / concurrency);
            var bound = busiest.Bound > latencyBound ? busiest.Bound : latencyBound;
            var wall = clock.Elapsed;
            var byService = scopes.GroupBy(kv => kv.Key.Service).Select(g => (Service: g.Key, Calls: g.Sum(kv => kv.Value), Max: g.Max(kv => kv.Value)))
                .OrderByDescending(x => x.Calls).Take(8);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"status                 {m.Status}, exit code {result.ExitCode}, {m.Errors} errors recorded"));
            foreach (var e in result.Errors.Where(e => !e.ErrorCode.Contains("OptIn", StringComparison.Ordinal)).Take(5))
                output.WriteLine($"  error: {e.ErrorCode} {e.Operation} {e.AccountId}/{e.Region}: {e.Message}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accounts collected     {result.Accounts.Count}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resources (rows)       {resources:N0} in {m.Files.Count(f => f.Table != "cloudinv_errors")} files"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time              {wall.TotalSeconds:F1} s (manifest {m.DurationMs / 1000.0:F1} s)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"API calls              {m.ApiCalls:N0} (collector) / {served:N0} served by the simulator (incl. AssumeRole)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throttles              {m.Throttles:N0}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process CPU            {cpu.TotalSeconds:F1} s (collector + simulator, {Environment.ProcessorCount} cores: {cpu.TotalSeconds / wall.TotalSeconds / Environment.ProcessorCount:P0} of the machine)"));
            var governor = CloudInventory.Collection.Internal.YoungGenerationGovernor.Process;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"young-gen governor     {governor.ForcedCollections:N0} collections, {governor.ForcedPause.TotalSeconds:F1} s in them, budget at the end {governor.CurrentBudgetBytes / 1048576.0:F0} MiB"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scopes                 {scopes.Count:N0} (account, region, service)"));
            foreach (var s in byService)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s.Service,-24} {s.Calls,8:N0} calls, busiest scope {s.Max:N0} (limit {limiter.RateFor(s.Service)}/s)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bound (a) rate limits  {busiest.Bound.TotalSeconds:F2} s: busiest scope {busiest.Scope.AccountId}/{busiest.Scope.Region}/{busiest.Scope.Service}, {busiest.Calls} calls at {limiter.RateFor(busiest.Scope.Service)}/s after a burst of {Math.Max(1, limiter.RateFor(busiest.Scope.Service) * 2)}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bound (b) latency      {latencyBound.TotalSeconds:F2} s: {served:N0} calls × {latencyMs} ms / concurrency {concurrency}"));
            // The strict floor: the collector's HTTP handler allows max(16, 2 × concurrency) connections per server
            // (the simulator is one server), and a unit runs its enrichment calls up to EnrichmentConcurrency at a time.
            var defaults = new CollectOptions();
            var maxInFlight = Math.Min(Math.Max(16, concurrency * 2), concurrency * (1 + defaults.EnrichmentConcurrency));
            var strictBound = TimeSpan.FromMilliseconds((double)served * latencyMs / maxInFlight);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bound (b') strict      {strictBound.TotalSeconds:F2} s: {served:N0} calls × {latencyMs} ms / {maxInFlight} (most calls the configuration lets be in flight)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"calls in flight        peak {cloud.MaxConcurrentRequests}, mean {served * latencyMs / 1000.0 / wall.TotalSeconds:F1} (calls × latency / wall)"));
            output.Write("in flight by tenth of the run (mean of 250 ms samples):");
            for (var tenth = 0; tenth < 10; tenth++)
            {
                var from = wall.TotalSeconds * tenth / 10;
                var to = wall.TotalSeconds * (tenth + 1) / 10;
                var window = samples.Where(x => x.Seconds >= from && x.Seconds < to).ToList();
                output.Write(string.Create(CultureInfo.InvariantCulture, $" {(window.Count == 0 ? 0 : window.Average(x => x.InFlight)):F0}"));
            }
            output.WriteLine();
            var lastFull = samples.LastOrDefault(x => x.InFlight >= concurrency / 2);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tail                   in flight last ≥ {concurrency / 2} at {lastFull.Seconds:F1} s; the last {wall.TotalSeconds - lastFull.Seconds:F1} s served {served - lastFull.Served:N0} calls"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lower bound            {bound.TotalSeconds:F2} s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio wall / bound     {wall.TotalSeconds / bound.TotalSeconds:F2} (goal ≤ 1.2)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio wall / strict    {wall.TotalSeconds / Math.Max(busiest.Bound.TotalSeconds, strictBound.TotalSeconds):F2}"));
            return result.ExitCode == 0 && resources >= 10_000 ? 0 : 1;
        }
        finally
        {
            if (!keep && Directory.Exists(store)) Directory.Delete(store, recursive: true);
        }
    }
}
