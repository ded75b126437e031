using CloudInventory.Aws.Credentials;
using CloudInventory.Collection;
using CloudInventory.Simulator;
using CloudInventory.Storage;
using DuckDB.NET.Data;

namespace CloudInventory.Tests.Collection;

/// <summary>End to end: the collector against the simulated cloud, into a local store, read back with DuckDB.</summary>
public sealed class InventoryCollectorTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private SimulatedCloud _cloud = null!;
    private readonly string _store = Directory.CreateTempSubdirectory("cloudinv-collect-").FullName;

    public async Task InitializeAsync() => _cloud = await SimulatedCloud.StartAsync(new SimulatorOptions
    {
        Seed = 5, Date = Day, Accounts = 5, Regions = ["us-east-1", "eu-west-1"],
    });

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        Directory.Delete(_store, recursive: true);
    }

    private CollectOptions Options(params string[] tables) => new()
    {
        Credentials = AwsCredentialSource.Static(_cloud.ManagementAccessKey, _cloud.SecretFor(_cloud.ManagementAccessKey)),
        EndpointUrl = _cloud.Endpoint,
        Organization = true,
        RoleName = "inventory",
        Regions = ["us-east-1", "eu-west-1", "ap-east-1"],
        Tables = tables,
        Store = _store,
        RateMultiplier = 100,
        ReportTime = new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero),
    };

    private long Scalar(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private string File(RunManifest manifest, string table) =>
        Path.Combine(_store, manifest.Files.Single(f => f.Table == table).Path);

    [Fact]
    public async Task Collects_every_curated_table_of_an_organisation_matching_the_simulated_world()
    {
        var result = await new InventoryCollector().RunAsync(Options());
        var manifest = result.Manifest;
        var world = _cloud.World;
        var active = world.Accounts.Where(a => a.Status == "ACTIVE").Select(a => a.Id).Order().ToList();

        Assert.Equal(RunStatus.Complete, manifest.Status);
        Assert.Equal(active, result.Accounts.Order().ToList());
        // The opt-in region is recorded as skipped for every account, and nothing else failed.
        Assert.All(result.Errors, e => Assert.Equal(("ap-east-1", "OptInRequired"), (e.Region, e.ErrorCode)));
        Assert.Equal(active.Count, result.Errors.Count);
        Assert.True(System.IO.File.Exists(Path.Combine(_store, manifest.Path)));

        // Every curated table was seen, in every account (global tables once, regional ones per region).
        var curated = CloudInventory.Catalog.TableCatalog.Default.Curated.Where(t => t.Cloud == CloudInventory.Catalog.Cloud.Aws).ToList();
        foreach (var table in curated.Where(t => t.Parent is null && t.AwsService != "organizations"))
        {
            var entries = manifest.Tables.Where(t => t.Table == table.Name).ToList();
            var expected = table.Scope == CloudInventory.Catalog.TableScope.Global ? active.Count : active.Count * 2;
            Assert.True(expected == entries.Count, $"{table.Name}: {entries.Count} manifest entries, expected {expected}");
        }

        // Rows equal the world's, per account and region.
        var instances = File(manifest, "aws_ec2_instances");
        foreach (var account in active)
        {
            foreach (var region in world.Regions)
            {
                var expected = world.Instances(account, region, Day).Select(i => i.Id).Order().ToList();
                Assert.Equal(expected.Count, Scalar($"select count(*) from '{instances}' where account_id = '{account}' and region = '{region}'"));
                Assert.Equal(0, Scalar($"select count(*) from '{instances}' where account_id = '{account}' and region = '{region}' and instance_id not in ({string.Join(",", expected.Select(e => $"'{e}'"))})"));
                Assert.Equal(world.Subnets(account, region, Day).Count, Scalar($"select count(*) from '{File(manifest, "aws_ec2_subnets")}' where account_id = '{account}' and region = '{region}'"));
                Assert.Equal(world.EcsTasks(account, region, Day).Count, Scalar($"select count(*) from '{File(manifest, "aws_ecs_tasks")}' where account_id = '{account}' and region = '{region}'"));
            }
            // S3 is global: the buckets once per account, with their enrichments.
            Assert.Equal(world.Buckets(account, Day).Count, Scalar($"select count(*) from '{File(manifest, "aws_s3_buckets")}' where account_id = '{account}' and region = 'global'"));
        }
        // Nested values and conversions survive: tags are a map, the reservation is carried into each instance.
        Assert.Equal(0, Scalar($"select count(*) from '{instances}' where tags['Application'] is null or reservation_id is null or state.name not in ('running', 'stopped')"));
        // Joins across tables resolve: every instance's subnet exists.
        Assert.Equal(0, Scalar($"select count(*) from '{instances}' i anti join '{File(manifest, "aws_ec2_subnets")}' s using (subnet_id)"));
        // Every ECS task's cluster exists.
        Assert.Equal(0, Scalar($"select count(*) from '{File(manifest, "aws_ecs_tasks")}' t anti join '{File(manifest, "aws_ecs_clusters")}' c using (cluster_arn)"));
        // Lambda functions run as roles that exist in their account; RDS instances sit in the account's VPCs.
        Assert.Equal(0, Scalar($"select count(*) from '{File(manifest, "aws_lambda_functions")}' f anti join '{File(manifest, "aws_iam_roles")}' r on f.role = r.arn and f.account_id = r.account_id"));
        Assert.Equal(0, Scalar($"select count(*) from '{File(manifest, "aws_rds_db_instances")}' d anti join '{File(manifest, "aws_ec2_vpcs")}' v on d.db_subnet_group.vpc_id = v.vpc_id"));
        Assert.True(Scalar($"select count(*) from '{File(manifest, "aws_iam_roles")}' where tags['Application'] is not null") > 0);
        // Every published file reads back whole (every column of every row).
        foreach (var file in manifest.Files)
        {
            Assert.True(Scalar($"select count(*) from (select to_json(t) as j from read_parquet('{Path.Combine(_store, file.Path)}') t) where length(j) > 0") == file.Rows, file.Path);
        }
        // The organisation is read once, from the management account.
        Assert.Equal(world.Accounts.Count, Scalar($"select count(*) from '{File(manifest, "aws_organizations_accounts")}'"));
    }

    [Fact]
    public async Task Enrichment_errors_leave_columns_null_and_keep_the_row()
    {
        var result = await new InventoryCollector().RunAsync(Options("aws_s3_buckets"));
        var buckets = File(result.Manifest, "aws_s3_buckets");
        var total = _cloud.World.Accounts.Where(a => a.Status == "ACTIVE").Sum(a => _cloud.World.Buckets(a.Id, Day).Count);
        Assert.Equal(total, Scalar($"select count(*) from '{buckets}'"));
        // NoSuchBucketPolicy is "not configured": a null column and no error.
        Assert.True(Scalar($"select count(*) from '{buckets}' where policy is null") > 0);
        Assert.True(Scalar($"select count(*) from '{buckets}' where policy is not null") > 0);
        Assert.DoesNotContain(result.Errors, e => e.ErrorCode == "NoSuchBucketPolicy");
    }

    [Fact]
    public async Task Bad_options_fail_before_any_work_with_a_clear_message()
    {
        var collector = new InventoryCollector();
        var unknownTable = await Assert.ThrowsAsync<CollectionException>(() => collector.RunAsync(Options("aws_ec2_instanses")));
        Assert.Contains("did you mean 'aws_ec2_instances'", unknownTable.Message, StringComparison.Ordinal);

        var options = Options("aws_ec2_vpcs");
        options.Regions = ["eu-west-9"];
        var unknownRegion = await Assert.ThrowsAsync<CollectionException>(() => collector.RunAsync(options));
        Assert.Contains("unknown region 'eu-west-9'", unknownRegion.Message, StringComparison.Ordinal);

        var badCredentials = Options("aws_ec2_vpcs");
        badCredentials.Credentials = AwsCredentialSource.Static(_cloud.ManagementAccessKey, "wrong-secret");
        var denied = await Assert.ThrowsAsync<CollectionException>(() => collector.RunAsync(badCredentials));
        Assert.Contains("SignatureDoesNotMatch", denied.Message, StringComparison.Ordinal);

        var badShard = Options("aws_ec2_vpcs");
        badShard.Shard = "5/4";
        Assert.Contains("k/n", (await Assert.ThrowsAsync<CollectionException>(() => collector.RunAsync(badShard))).Message, StringComparison.Ordinal);

        Assert.Empty(Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_role_that_cannot_be_assumed_is_recorded_per_account_and_fails_the_run()
    {
        var options = Options("aws_ec2_vpcs");
        options.Organization = false;
        options.Accounts = ["123456789012"];
        var result = await new InventoryCollector().RunAsync(options);
        Assert.Equal(RunStatus.Failed, result.Manifest.Status);
        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("123456789012", "sts:AssumeRole", "AccessDenied"), (error.AccountId, error.Operation, error.ErrorCode));
    }

    [Fact]
    public async Task A_reused_run_id_with_another_shard_layout_is_refused_before_any_work()
    {
        var options = Options("aws_ec2_vpcs");
        options.Shard = "1/2";
        options.RunId = "20261120T060000Z-0c0ffe";
        await new InventoryCollector().RunAsync(options);
        var files = Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories).Order().ToArray();

        foreach (var shard in new[] { "1/3", null })
        {
            var again = Options("aws_ec2_vpcs");
            again.Shard = shard;
            again.RunId = "20261120T060000Z-0c0ffe";
            var e = await Assert.ThrowsAsync<CollectionException>(() => new InventoryCollector().RunAsync(again));
            Assert.Contains("already in the store as shard 1/2", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal(files, Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories).Order().ToArray());
        // The same layout is still accepted (the other shard of the run).
        var second = Options("aws_ec2_vpcs");
        second.Shard = "2/2";
        second.RunId = "20261120T060000Z-0c0ffe";
        Assert.Equal("2/2", (await new InventoryCollector().RunAsync(second)).Manifest.Shard);
    }

    [Fact]
    public async Task Shards_split_the_work_units_without_overlap()
    {
        var all = await new InventoryCollector().RunAsync(Options("aws_ec2_vpcs", "aws_ec2_subnets", "aws_s3_buckets"));
        long total = all.Manifest.Files.Where(f => f.Table != "cloudinv_errors").Sum(f => f.Rows);
        long sharded = 0;
        for (var k = 1; k <= 3; k++)
        {
            var options = Options("aws_ec2_vpcs", "aws_ec2_subnets", "aws_s3_buckets");
            options.Shard = $"{k}/3";
            options.RunId = "20261120T060000Z-5ba4d0";
            var part = await new InventoryCollector().RunAsync(options);
            Assert.Equal($"{k}/3", part.Manifest.Shard);
            Assert.Equal("20261120T060000Z-5ba4d0", part.Manifest.RunId);
            Assert.All(part.Manifest.Files, f => Assert.Contains($"-{k}of3.", f.Path, StringComparison.Ordinal));
            sharded += part.Manifest.Files.Where(f => f.Table != "cloudinv_errors").Sum(f => f.Rows);
        }
        Assert.Equal(total, sharded);
        // The query layer sees the three shards as one run with all the rows.
        using var db = CloudInventory.Query.InventoryDatabase.Open(_store, CloudInventory.Catalog.TableCatalog.Default);
        using var reader = db.ExecuteQuery("select count(*) from aws_ec2_subnets where report_time = (select max(report_time) from aws_ec2_subnets)");
        Assert.True(reader.Read());
        Assert.Equal(all.Manifest.Files.Single(f => f.Table == "aws_ec2_subnets").Rows * 2, reader.GetInt64(0));
    }

    [Fact]
    public async Task A_fault_drill_with_throttling_errors_and_timeouts_gives_the_fault_free_data()
    {
        string[] tables = ["aws_ec2_instances", "aws_ec2_subnets", "aws_s3_buckets", "aws_ecs_tasks", "aws_kms_keys"];
        var clean = await new InventoryCollector().RunAsync(Options(tables));

        await using var faulty = await SimulatedCloud.StartAsync(new SimulatorOptions
        {
            Seed = 5, Date = Day, Accounts = 5, Regions = ["us-east-1", "eu-west-1"], ThrottleRate = 0.3, ErrorRate = 0.05, TimeoutRate = 0.01,
        });
        var store = Directory.CreateTempSubdirectory("cloudinv-drill-").FullName;
        try
        {
            var options = Options(tables);
            options.EndpointUrl = faulty.Endpoint;
            options.Store = store;
            options.MaxAttempts = 12;
            options.AttemptTimeout = TimeSpan.FromSeconds(1);
            options.Retry = new CloudInventory.Aws.Client.AwsRetryOptions
            {
                MaxAttempts = 12, BaseDelay = TimeSpan.FromMilliseconds(5), ThrottlingBaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(100),
            };
            var drill = await new InventoryCollector().RunAsync(options);

            Assert.True(drill.Manifest.Throttles > 0, "the drill should have been throttled");
            Assert.True(drill.Manifest.ApiCalls > clean.Manifest.ApiCalls, "retries should show in the API call count");
            // Only calls whose retries ran out are errors; with 12 attempts none should, apart from the opt-in region.
            Assert.All(drill.Errors, e => Assert.Equal("OptInRequired", e.ErrorCode));
            foreach (var table in tables)
            {
                var a = Path.Combine(_store, clean.Manifest.Files.Single(f => f.Table == table).Path);
                var b = Path.Combine(store, drill.Manifest.Files.Single(f => f.Table == table).Path);
                Assert.Equal(clean.Manifest.Files.Single(f => f.Table == table).Rows, drill.Manifest.Files.Single(f => f.Table == table).Rows);
                Assert.Equal(0, Scalar($"select count(*) from ((select * from '{a}' except all select * from '{b}') union all (select * from '{b}' except all select * from '{a}'))"));
            }
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }
}
