using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Credentials;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Simulator;
using CloudInventory.Tests.Azure;

namespace CloudInventory.Tests.Query;

/// <summary>
/// One store with both clouds (two days, each one run collecting a simulated AWS organisation and a simulated Azure
/// tenant): <c>trend --by cloud|account|region|type</c>, <c>cloudinv_resources</c>, <c>diff</c> and <c>--where-tag</c>
/// count the whole estate once, each Azure resource once (not again from its type's table), checked against the Azure world.
/// </summary>
public sealed class BothCloudsTests : IAsyncLifetime
{
    private static readonly DateOnly First = AzureSimulatorSession.Day.AddDays(-1);
    private static readonly string[] s_tables =
        ["aws_ec2_instances", "aws_s3_buckets", "azure_resources", "azure_subscriptions", "azure_resource_groups", "azure_management_groups", "azure_compute_virtual_machines"];

    private readonly string _store = Directory.CreateTempSubdirectory("cloudinv-both-").FullName;
    private SimulatedCloud _aws = null!;
    private AzureSimulatorSession _azure = null!;

    public async Task InitializeAsync()
    {
        _aws = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 7, Accounts = 2, Regions = ["us-east-1"] });
        _azure = await AzureSimulatorSession.StartAsync(o => o.Subscriptions = 2);
        for (var day = First; day <= AzureSimulatorSession.Day; day = day.AddDays(1))
        {
            _aws.Date = day;
            _azure.Simulator.Date = day;
            var result = await new InventoryCollector().RunAsync(new CollectOptions
            {
                Clouds = [Cloud.Aws, Cloud.Azure],
                Credentials = AwsCredentialSource.Static(_aws.ManagementAccessKey, _aws.SecretFor(_aws.ManagementAccessKey)),
                EndpointUrl = _aws.Endpoint,
                Organization = true,
                RoleName = "inventory",
                RateMultiplier = 100,
                Tables = s_tables,
                Store = _store,
                ReportTime = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc)),
                Azure = new AzureCollectOptions { Endpoint = _azure.Simulator.Endpoint, Credential = _azure.Credential(), Transport = _azure.Transport },
            });
            Assert.Equal(0, result.ExitCode);
        }
    }

    public async Task DisposeAsync()
    {
        await _aws.DisposeAsync();
        await _azure.DisposeAsync();
        Directory.Delete(_store, recursive: true);
    }

    // The Azure world's footprint on a day: every resource and resource group of the enabled subscriptions, and every
    // subscription (the disabled one too: azure_subscriptions lists each subscription in scope with its state).
    private List<JsonObject> AzureWorld(DateOnly day)
    {
        var world = _azure.Simulator.World;
        return world.Subscriptions.Where(s => s.State == "Enabled")
            .SelectMany(s => world.Resources(s, day).Concat(world.ResourceContainers(s, day).Where(r => (string)r["type"]! != "microsoft.resources/subscriptions")))
            .Concat(world.Subscriptions.Select(s => new JsonObject { ["id"] = "/subscriptions/" + s.Id, ["type"] = "microsoft.resources/subscriptions", ["location"] = null }))
            .ToList();
    }

    private (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.Run([.. args, "--store", _store, "--format", "csv"]);

    // CSV rows after the header, split into fields.
    private static List<string[]> Rows(string csv) => csv.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();

    private long AwsRows(DateOnly day)
    {
        var (code, output, error) = Cli("query", $"select (select count(*) from daily_aws_ec2_instances where report_date = DATE '{day:yyyy-MM-dd}') + (select count(*) from daily_aws_s3_buckets where report_date = DATE '{day:yyyy-MM-dd}') as n");
        Assert.True(code == 0, error);
        return long.Parse(Rows(output).Single()[0], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Trend_by_cloud_counts_each_resource_of_both_clouds_once_as_cloudinv_resources_does()
    {
        var (code, output, error) = Cli("trend", "--by", "cloud", "--since", First.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.True(code == 0, error);
        var expected = new List<string>();
        for (var day = First; day <= AzureSimulatorSession.Day; day = day.AddDays(1))
        {
            expected.Add($"{day:yyyy-MM-dd},aws,{AwsRows(day)}");
            expected.Add($"{day:yyyy-MM-dd},azure,{AzureWorld(day).Count}");
        }
        Assert.Equal(expected, Rows(output).Select(r => string.Join(',', r.Take(3))));
        var (_, footprint, _) = Cli("query", "select report_date, cloud, count(*) from cloudinv_resources group by all order by 1, 2");
        Assert.Equal(expected, Rows(footprint).Select(r => string.Join(',', r)));
        // A glob over Azure's tables counts azure_resources, not its type tables again.
        var (_, azureOnly, _) = Cli("trend", "--by", "cloud", "--table", "azure_*", "--since", First.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(expected.Where(e => e.Contains(",azure,", StringComparison.Ordinal)), Rows(azureOnly).Select(r => string.Join(',', r.Take(3))));
    }

    [Fact]
    public void Trend_by_type_account_and_region_span_both_clouds()
    {
        var day = AzureSimulatorSession.Day;
        var since = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var world = AzureWorld(day);

        var types = Rows(Cli("trend", "--by", "type", "--since", since).Out).ToDictionary(r => r[1], r => long.Parse(r[2], CultureInfo.InvariantCulture));
        Assert.Equal(world.Count(r => string.Equals((string)r["type"]!, "microsoft.compute/virtualmachines", StringComparison.OrdinalIgnoreCase)), types["microsoft.compute/virtualmachines"]);
        Assert.Equal(world.Count(r => (string)r["type"]! == "microsoft.resources/subscriptions"), types["microsoft.resources/subscriptions"]);
        Assert.True(types["aws_ec2_instances"] > 0);
        Assert.DoesNotContain("azure_compute_virtual_machines", types.Keys);
        Assert.DoesNotContain(types.Keys, k => k.Contains("managementgroups", StringComparison.Ordinal));

        var accounts = Rows(Cli("trend", "--by", "account", "--since", since).Out).Select(r => r[1]).ToList();
        Assert.All(_azure.Simulator.World.Subscriptions.Where(s => s.State == "Enabled"), s => Assert.Contains(s.Id, accounts));
        Assert.Contains(accounts, a => a.Length == 12 && a.All(char.IsAsciiDigit));
        Assert.DoesNotContain(_azure.Simulator.World.TenantId, accounts);

        var regions = Rows(Cli("trend", "--by", "region", "--since", since).Out).ToDictionary(r => r[1], r => long.Parse(r[2], CultureInfo.InvariantCulture));
        Assert.Equal(world.Count(r => (string?)r["location"] == "westeurope"), regions["westeurope"]);
        Assert.True(regions["us-east-1"] > 0);
    }

    [Fact]
    public void Diff_compares_both_clouds_between_the_days()
    {
        var (code, output, error) = Cli("diff", "--from", First.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", AzureSimulatorSession.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--summary");
        Assert.True(code == 0, error);
        var tables = Rows(output).Select(r => r[0]).ToList();
        Assert.Contains("aws_ec2_instances", tables);
        Assert.Contains("azure_resources", tables);
        // The added and removed Azure resources are the world's.
        var before = AzureWorld(First).Where(r => !((string)r["type"]!).StartsWith("microsoft.resources/", StringComparison.OrdinalIgnoreCase)).Select(r => (string)r["id"]!).ToHashSet();
        var after = AzureWorld(AzureSimulatorSession.Day).Where(r => !((string)r["type"]!).StartsWith("microsoft.resources/", StringComparison.OrdinalIgnoreCase)).Select(r => (string)r["id"]!).ToHashSet();
        var header = output.ReplaceLineEndings("\n").Split('\n')[0].Split(',').ToList();
        var resources = Rows(output).Single(r => r[0] == "azure_resources");
        Assert.Equal(after.Except(before).Count(), long.Parse(resources[header.IndexOf("added")], CultureInfo.InvariantCulture));
        Assert.Equal(before.Except(after).Count(), long.Parse(resources[header.IndexOf("removed")], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Where_tag_narrows_the_footprint_of_both_clouds_to_the_tagged_resources()
    {
        var (code, output, error) = Cli("query", "select cloud, count(*) from cloudinv_resources where report_date = (select max(report_date) from cloudinv_resources) group by cloud order by cloud", "--where-tag", "env=prod");
        Assert.True(code == 0, error);
        var counts = Rows(output).ToDictionary(r => r[0], r => long.Parse(r[1], CultureInfo.InvariantCulture));
        Assert.Equal(AzureWorld(AzureSimulatorSession.Day).Count(r => (string?)r["tags"]?["env"] == "prod"), counts["azure"]);
        var (_, all, _) = Cli("query", $"select count(*) from cloudinv_resources where cloud = 'aws' and report_date = DATE '{AzureSimulatorSession.Day:yyyy-MM-dd}' and tags['env'] = 'prod'");
        Assert.Equal(long.Parse(Rows(all).Single()[0], CultureInfo.InvariantCulture), counts.GetValueOrDefault("aws"));
    }
}
