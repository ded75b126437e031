using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CloudInventory.Aws.Credentials;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Query;
using CloudInventory.Simulator;
using CloudInventory.Simulator.Azure;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv demo</c>: starts the simulated clouds in-process (an AWS organisation of 3 accounts in 2 regions and an
/// Azure tenant of 2 enabled subscriptions and a disabled one), collects one snapshot of both for each of the last N
/// days through the same code as a real run (only the endpoints differ), and answers four example questions. Exit codes: 0 done, 1 a run failed, 2 bad options.
/// </summary>
internal static class DemoCommand
{
    private const string Marker = ".cloudinv-demo";

    /// <summary>The AWS tables the demo collects: the networking and compute the questions need, and a spread of services.</summary>
    internal static readonly string[] AwsTables =
    [
        "aws_ec2_instances", "aws_ec2_vpcs", "aws_ec2_subnets", "aws_ec2_security_groups", "aws_ec2_route_tables", "aws_ec2_internet_gateways",
        "aws_ec2_nat_gateways", "aws_ec2_network_interfaces", "aws_ec2_volumes", "aws_ec2_snapshots", "aws_ec2_images", "aws_s3_buckets",
        "aws_iam_users", "aws_iam_roles", "aws_iam_policies", "aws_lambda_functions", "aws_rds_db_instances", "aws_dynamodb_tables",
        "aws_ecs_clusters", "aws_ecs_services", "aws_ecs_tasks", "aws_eks_clusters", "aws_elasticloadbalancingv2_load_balancers",
        "aws_route53_hosted_zones", "aws_sns_topics", "aws_sqs_queues", "aws_kms_keys", "aws_cloudfront_distributions", "aws_organizations_accounts",
    ];

    /// <summary>The Azure tables the demo collects: the footprint's (resources, containers), the management groups and a few types.</summary>
    internal static readonly string[] AzureTables =
    [
        "azure_resources", "azure_subscriptions", "azure_resource_groups", "azure_management_groups", "azure_compute_virtual_machines",
        "azure_compute_disks", "azure_network_network_interfaces", "azure_network_virtual_networks", "azure_storage_storage_accounts",
        "azure_keyvault_vaults", "azure_sql_servers", "azure_web_sites", "azure_containerservice_managed_clusters",
    ];

    /// <summary>Every table the demo collects, both clouds.</summary>
    internal static readonly string[] Tables = [.. AwsTables, .. AzureTables];

    /// <summary>The demo's Azure tenant: two enabled subscriptions (and the disabled one the simulator always lists).</summary>
    internal const int AzureSubscriptions = 2;

    internal static readonly (string Title, string Sql)[] Questions =
    [
        ("The instances, with their type, state and Application tag (latest snapshot)",
            "select account_id, region, instance_id, instance_type, state.name as state, tags['Application'] as application\n" +
            "from current_aws_ec2_instances order by account_id, region, instance_id limit 12"),
        ("Running instances in subnets tagged Layer=public (a join)",
            "select i.account_id, i.region, i.instance_id, i.instance_type, s.subnet_id, s.cidr_block\n" +
            "from current_aws_ec2_instances i join current_aws_ec2_subnets s using (account_id, region, subnet_id)\n" +
            "where s.tags['Layer'] = 'public' and i.state.name = 'running' order by 1, 2, 3 limit 12"),
        ("Instances per day",
            "select report_date, count(*) as instances, count(*) filter (where state.name = 'running') as running\n" +
            "from daily_aws_ec2_instances group by report_date order by report_date"),
        ("Resources per cloud per day (the footprint of both clouds, cloudinv_resources)",
            "select report_date, cloud, count(*) as resources, count(distinct account_id) as accounts\n" +
            "from cloudinv_resources group by report_date, cloud order by report_date, cloud"),
    ];

    /// <summary>The diff and trend follow-ups, within the days the demo collected (so each works on the store it just made).</summary>
    internal static IEnumerable<string> FollowUps(int days, string store)
    {
        if (days > 1) yield return $"  cloudinv diff --from {Math.Min(7, days - 1)}d --to now --summary --store {store}";
        yield return $"  cloudinv trend --by account --since {days}d --store {store}";
        yield return $"  cloudinv trend --by cloud --since {days}d --store {store}                # resources per cloud per day";
    }

    // Deletes the demo's temporary folder (the simulated Azure's CA) when the command ends.
    private sealed class TemporaryDirectory(string path) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
            return ValueTask.CompletedTask;
        }
    }

    public static Command Create()
    {
        var days = new Option<int>("--days") { Description = "How many days of history to collect (one snapshot a day).", DefaultValueFactory = _ => 14 };
        var dir = new Option<string>("--dir") { Description = "Where to write the demo store.", DefaultValueFactory = _ => "./inventory-demo" };
        var seed = new Option<long>("--seed") { Description = "The simulated world's seed.", DefaultValueFactory = _ => 42 };
        var command = new Command("demo", "Collect 14 days of a simulated AWS organisation and Azure tenant into ./inventory-demo and answer four questions (no cloud account needed).")
        {
            days, dir, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var dayCount = parse.GetValue(days);
            var store = Path.GetFullPath(parse.GetValue(dir)!);
            if (dayCount is < 1 or > 366)
            {
                await error.WriteLineAsync($"error: --days {dayCount} must be between 1 and 366").ConfigureAwait(false);
                return 2;
            }
            if (File.Exists(store))
            {
                await error.WriteLineAsync($"error: --dir {store} is a file; give a folder for the demo store (it is created if missing)").ConfigureAwait(false);
                return 2;
            }
            if (Directory.Exists(store) && Directory.EnumerateFileSystemEntries(store).Any())
            {
                if (!File.Exists(Path.Combine(store, Marker)))
                {
                    await error.WriteLineAsync($"error: {store} exists and is not a demo store; pick another --dir (the demo replaces its own directory only)").ConfigureAwait(false);
                    return 2;
                }
                Directory.Delete(store, recursive: true);
            }
            Directory.CreateDirectory(store);
            await File.WriteAllTextAsync(Path.Combine(store, Marker), "Written by `cloudinv demo`; the next demo run replaces this directory.\n", cancellationToken).ConfigureAwait(false);

            var clock = Stopwatch.StartNew();
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions
            {
                Port = 0, Seed = parse.GetValue(seed), Accounts = 3, Regions = ["us-east-1", "eu-west-1"], Date = today,
            }, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Simulated AWS on {cloud.Endpoint}: organisation {cloud.World.OrganizationId}, {cloud.World.Accounts.Count} accounts (one suspended), regions {string.Join(", ", cloud.World.Regions)}.").ConfigureAwait(false);
            var certificates = Directory.CreateTempSubdirectory("cloudinv-demo-azure-").FullName;
            await using var azure = await SimulatedAzure.StartAsync(new SimulatedAzureOptions
            {
                Port = 0, Seed = parse.GetValue(seed), Subscriptions = AzureSubscriptions, Date = today, CertificateDirectory = certificates,
                QuotaPerWindow = 1000, // the demo's runs come one after another; Azure's real quota is about 15 queries per 5 s
            }, cancellationToken).ConfigureAwait(false);
            await using var cleanup = new TemporaryDirectory(certificates).ConfigureAwait(false);
            var azureTransport = azure.ClientTransport();
            var azureCredential = CloudInventory.Azure.AzureCredentialSource.CreateClientSecret(azure.World.TenantId, azure.World.ClientId, azure.World.ClientSecret, azure.AuthorityHost, azureTransport);
            await output.WriteLineAsync($"Simulated Azure on {azure.Endpoint}: tenant {azure.World.TenantId}, {azure.World.Subscriptions.Count} subscriptions (one disabled), {azure.World.ManagementGroups.Count} management groups.").ConfigureAwait(false);
            await output.WriteLineAsync($"Collecting {Tables.Length} tables for each of the last {dayCount} days into {store} …").ConfigureAwait(false);

            var collector = new InventoryCollector();
            long rows = 0, calls = 0;
            for (var day = today.AddDays(1 - dayCount); day <= today; day = day.AddDays(1))
            {
                cloud.Date = day;
                azure.Date = day;
                var result = await collector.RunAsync(new CollectOptions
                {
                    Clouds = [Cloud.Aws, Cloud.Azure],
                    Azure = new AzureCollectOptions { Endpoint = azure.Endpoint, Credential = azureCredential, Transport = azureTransport },
                    Credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey)),
                    EndpointUrl = cloud.Endpoint,
                    Organization = true,
                    RoleName = "OrganizationAccountAccessRole",
                    Tables = Tables,
                    Store = store,
                    RateMultiplier = 100, // the simulator has no rate limits to respect
                    ReportTime = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc)),
                }, cancellationToken: cancellationToken).ConfigureAwait(false);
                var dayRows = result.Manifest.Files.Where(f => f.Table != "cloudinv_errors").Sum(f => f.Rows);
                rows += dayRows;
                calls += result.Manifest.ApiCalls;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {day:yyyy-MM-dd}  run {result.Manifest.RunId}  {result.Manifest.Status.ToString().ToLowerInvariant(),-8} {dayRows,6:N0} rows  {result.Manifest.ApiCalls,5:N0} API calls  {result.Manifest.DurationMs / 1000.0,5:F1} s")).ConfigureAwait(false);
                if (result.ExitCode != 0)
                {
                    foreach (var e in result.Errors.Take(5)) await error.WriteLineAsync($"  {e.ErrorCode} {e.Operation} {e.AccountId}/{e.Region}: {e.Message}").ConfigureAwait(false);
                    return 1;
                }
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Collected {dayCount} snapshots: {rows:N0} rows, {calls:N0} API calls, in {clock.Elapsed.TotalSeconds:F1} s.")).ConfigureAwait(false);

            using (var db = InventoryDatabase.Open(store, TableCatalog.Default))
            {
                var n = 1;
                foreach (var (title, sql) in Questions)
                {
                    await output.WriteLineAsync().ConfigureAwait(false);
                    await output.WriteLineAsync($"{n++}. {title}").ConfigureAwait(false);
                    foreach (var line in sql.Split('\n')) await output.WriteLineAsync("   " + line).ConfigureAwait(false);
                    using var reader = db.ExecuteQuery(sql);
                    QueryResultWriter.Write(reader, "table", output, QueryCommand.IsTerminal(output));
                }
            }

            var quoted = store.Contains(' ', StringComparison.Ordinal) ? $"\"{store}\"" : store;
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync("Explore further:").ConfigureAwait(false);
            await output.WriteLineAsync($"  cloudinv query \"select * from cloudinv_runs\" --store {quoted}").ConfigureAwait(false);
            await output.WriteLineAsync($"  cloudinv sql --store {quoted}                       # an interactive SQL shell").ConfigureAwait(false);
            foreach (var line in FollowUps(dayCount, quoted)) await output.WriteLineAsync(line).ConfigureAwait(false);
            await output.WriteLineAsync($"  cloudinv query \"select * from current_aws_ec2_instances\" --where-tag Application=checkout --store {quoted}").ConfigureAwait(false);
            await output.WriteLineAsync("  cloudinv tables                                     # every table Cloud Inventory knows").ConfigureAwait(false);
            await output.WriteLineAsync($"  cloudinv serve --store {quoted}                     # the dashboard on http://127.0.0.1:8080").ConfigureAwait(false);
            await output.WriteLineAsync($"Total time {clock.Elapsed.TotalSeconds:F1} s.").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
