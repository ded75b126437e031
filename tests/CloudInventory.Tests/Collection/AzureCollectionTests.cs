using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Query;
using CloudInventory.Simulator.Azure;
using CloudInventory.Storage;
using CloudInventory.Tests.Azure;
using DuckDB.NET.Data;

namespace CloudInventory.Tests.Collection;

/// <summary>
/// End to end: the collector against the simulated Azure tenant (a service principal's secret against its authority,
/// TLS checked against its CA), into a local store, read back with DuckDB and checked against the tenant's world.
/// </summary>
public sealed class AzureCollectionTests : IDisposable
{
    private static readonly DateTimeOffset ReportTime = new(AzureSimulatorSession.Day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero);
    private readonly string _store = Directory.CreateTempSubdirectory("cloudinv-azure-collect-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private CollectOptions Options(AzureSimulatorSession session, Action<AzureCollectOptions>? configure = null, params string[] tables)
    {
        var azure = new AzureCollectOptions
        {
            Endpoint = session.Simulator.Endpoint, Credential = session.Credential(), Transport = session.Transport, MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(azure);
        return new CollectOptions { Clouds = [Cloud.Azure], Tables = tables, Store = _store, ReportTime = ReportTime, Azure = azure };
    }

    private static long Scalar(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<string> Strings(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        return values;
    }

    private string File(RunManifest manifest, string table) => Path.Combine(_store, manifest.Files.Single(f => f.Table == table).Path);

    private static List<JsonObject> WorldResources(SimulatedAzure simulator) => simulator.World.Subscriptions.Where(s => s.State == "Enabled")
        .SelectMany(s => simulator.World.Resources(s, AzureSimulatorSession.Day)).ToList();

    [Fact]
    public async Task Stores_every_resource_of_every_enabled_subscription_and_skips_the_disabled_one_with_its_reason()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o => o.Subscriptions = 3);
        var result = await new InventoryCollector().RunAsync(Options(session));
        var manifest = result.Manifest;
        var world = session.Simulator.World;

        Assert.Equal(RunStatus.Complete, manifest.Status);
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").Select(s => s.Id).Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(enabled, result.Accounts);
        var disabled = world.Subscriptions.Single(s => s.State != "Enabled");
        var skip = Assert.Single(result.Errors);
        Assert.Equal((disabled.Id, "SubscriptionNotEnabled"), (skip.AccountId, skip.ErrorCode));
        Assert.Contains("only Enabled subscriptions are collected", skip.Message, StringComparison.Ordinal);

        var expected = WorldResources(session.Simulator).Select(r => (string)r["id"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Strings($"select id from '{File(manifest, "azure_resources")}' order by id"));
        Assert.Equal(0, Scalar($"select count(*) from '{File(manifest, "azure_resources")}' where account_id <> subscription_id or region <> 'global'"));
        Assert.StartsWith("azure/resources/report_date=2026-03-14/", manifest.Files.Single(f => f.Table == "azure_resources").Path, StringComparison.Ordinal);

        // Rows routed by type into their typed tables, properties flattened to typed columns.
        var vms = WorldResources(session.Simulator).Where(r => string.Equals((string)r["type"]!, "microsoft.compute/virtualmachines", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(vms);
        var vmFile = manifest.Files.Single(f => f.Table == "azure_compute_virtual_machines");
        Assert.StartsWith("azure/compute/virtual_machines/report_date=", vmFile.Path, StringComparison.Ordinal);
        Assert.Equal(vms.Count, vmFile.Rows);
        Assert.Equal(vms.Count, Scalar($"select count(*) from '{Path.Combine(_store, vmFile.Path)}' where hardware_profile.vm_size is not null and provisioning_state is not null"));
        // Every subscription in scope is a row of azure_subscriptions with its state, the disabled one too.
        Assert.Equal(world.Subscriptions.Select(s => $"{s.Id} {s.State}").Order(StringComparer.OrdinalIgnoreCase),
            Strings($"select subscription_id || ' ' || state from '{File(manifest, "azure_subscriptions")}' order by subscription_id"), StringComparer.OrdinalIgnoreCase);
        var groups = enabled.Sum(id => world.ResourceGroups(world.Subscription(id)!, AzureSimulatorSession.Day).Count);
        Assert.Equal(groups, Scalar($"select count(*) from '{File(manifest, "azure_resource_groups")}'"));
        // Every subscription's unit of every selected table is in the manifest: observed, with its rows or empty.
        Assert.All(enabled, id => Assert.Contains(manifest.Tables, t => t.Table == "azure_compute_virtual_machines" && t.AccountId == id
            && t.Status == (vms.Any(v => (string)v["subscriptionId"]! == id) ? TableRunStatus.Ok : TableRunStatus.Empty)));
    }

    [Fact]
    public async Task Never_stores_write_only_or_sensitive_members_even_when_planted()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o =>
        {
            o.PlantSecrets = true;
            o.Scale = 4;
        });
        var planted = WorldResources(session.Simulator).Count(r => r.ToJsonString().Contains("planted-secret", StringComparison.Ordinal));
        Assert.True(planted > 0, "the world has planted secrets");
        var result = await new InventoryCollector().RunAsync(Options(session, null, "azure_*sql*", "azure_resources"));

        Assert.Equal(RunStatus.Complete, result.Manifest.Status);
        Assert.Null(TableCatalog.Default.Find("azure_sql_servers")!.FindColumn("administrator_login_password"));
        Assert.True(result.Manifest.Files.Any(f => f.Table == "azure_sql_servers"), string.Join(", ", result.Manifest.Files.Select(f => $"{f.Table}:{f.Rows}")));
        Assert.True(Scalar($"select count(*) from '{File(result.Manifest, "azure_sql_servers")}'") > 0);
        foreach (var file in result.Manifest.Files)
        {
            Assert.Equal(0, Scalar($"select count(*) from (select to_json(t)::varchar as j from read_parquet('{Path.Combine(_store, file.Path)}') t) where j like '%planted-secret%'"));
        }
    }

    [Fact]
    public async Task Throttles_server_errors_and_cut_short_pages_leave_the_rows_of_a_fault_free_run()
    {
        string[] Ids(RunManifest manifest) => Strings($"select id || '|' || coalesce(to_json(properties)::varchar, '') from '{Path.Combine(_store, manifest.Files.Single(f => f.Table == "azure_resources").Path)}' order by id").ToArray();

        await using var clean = await AzureSimulatorSession.StartAsync(o => o.Scale = 4);
        var expected = Ids((await new InventoryCollector().RunAsync(Options(clean, a => a.PageSize = 50))).Manifest);

        await using var faulty = await AzureSimulatorSession.StartAsync(o =>
        {
            o.Scale = 4;
            o.ThrottleRate = 0.3;
            o.ErrorRate = 0.05;
            o.ShortPageRate = 0.2;
            o.TruncateRate = 0.05;
        });
        var result = await new InventoryCollector().RunAsync(Options(faulty, a => { a.PageSize = 50; a.MaxRetries = 20; }));

        Assert.Equal(RunStatus.Complete, result.Manifest.Status);
        // Every 429 the simulator served is counted (faults are random: a small run may draw none, which proves nothing more).
        Assert.Equal(faulty.Simulator.Throttled, result.Manifest.Throttles);
        Assert.Equal(expected, Ids(result.Manifest));
    }

    [Fact]
    public async Task Scans_each_batch_of_subscriptions_once_and_routes_its_rows_to_their_subscription()
    {
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string[]>();
        await using var session = await AzureSimulatorSession.StartAsync(o =>
        {
            o.Subscriptions = 5;
            o.OnRequest = (method, target, body) =>
            {
                if (method != "POST" || !target.Contains("Microsoft.ResourceGraph", StringComparison.OrdinalIgnoreCase)) return;
                using var json = System.Text.Json.JsonDocument.Parse(body);
                requests.Enqueue(json.RootElement.GetProperty("subscriptions").EnumerateArray().Select(e => e.GetString()!).ToArray());
            };
        });
        var world = session.Simulator.World;
        var result = await new InventoryCollector().RunAsync(Options(session, a => { a.PageSize = 50; a.SubscriptionsPerQuery = 2; }, "azure_resources"));

        Assert.Equal(RunStatus.Complete, result.Manifest.Status);
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").OrderBy(s => s.Id, StringComparer.OrdinalIgnoreCase).ToList();
        var batches = enabled.Chunk(2).ToList();
        Assert.Equal(3, batches.Count);
        // One scan per batch: every request names one whole batch, and a batch's pages are its rows over the page size.
        foreach (var batch in batches)
        {
            var rows = batch.Sum(s => world.Resources(s, AzureSimulatorSession.Day).Count());
            var sent = requests.Count(r => r.SequenceEqual(batch.Select(s => s.Id)));
            Assert.Equal(Math.Max(1, (rows + 49) / 50), sent);
        }
        Assert.Equal(requests.Count, batches.Sum(b => requests.Count(r => r.SequenceEqual(b.Select(s => s.Id)))));

        // Rows and manifest entries per subscription, as the world has them.
        var file = File(result.Manifest, "azure_resources");
        foreach (var s in enabled)
        {
            var expected = world.Resources(s, AzureSimulatorSession.Day).Count();
            Assert.Equal(expected, Scalar($"select count(*) from '{file}' where account_id = '{s.Id}' and subscription_id = '{s.Id}'"));
            var entry = Assert.Single(result.Manifest.Tables, t => t.Table == "azure_resources" && t.AccountId == s.Id);
            Assert.Equal((expected, expected == 0 ? TableRunStatus.Empty : TableRunStatus.Ok), (entry.Rows, entry.Status));
        }
        Assert.Equal(enabled.Count, result.Manifest.Tables.Count);
        Assert.True(enabled.Count(s => world.Resources(s, AzureSimulatorSession.Day).Any()) >= 3, "rows in several batches");
    }

    [Fact]
    public async Task An_exhausted_quota_fails_every_scan_and_leaves_each_subscription_not_observed()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o =>
        {
            o.ThrottleRate = 1.0;
            o.QuotaWindow = TimeSpan.FromMilliseconds(200);
        });
        var result = await new InventoryCollector().RunAsync(Options(session, a => a.MaxRetries = 0));

        // Only the management group tree and the subscriptions, which do not come from Resource Graph, are observed.
        Assert.Equal(RunStatus.Partial, result.Manifest.Status);
        Assert.Equal(3, result.ExitCode);
        Assert.NotEmpty(result.Manifest.Tables);
        Assert.All(result.Manifest.Tables.Where(t => t.Table is not "azure_management_groups" and not "azure_subscriptions"), t => Assert.Equal((TableRunStatus.Error, "RateLimiting"), (t.Status, t.ErrorCode)));
        Assert.Equal(TableRunStatus.Ok, Assert.Single(result.Manifest.Tables, t => t.Table == "azure_management_groups").Status);
        Assert.All(result.Manifest.Tables.Where(t => t.Table == "azure_subscriptions"), t => Assert.Equal(TableRunStatus.Ok, t.Status));
        Assert.Contains(result.Errors, e => e.Operation == "ResourceGraph.Resources" && e.ErrorCode == "RateLimiting");
        // One scan covers both subscriptions, and each of them has its error per scan: resources, resourcecontainers,
        // authorizationresources (role assignments) and policyresources (policy assignments).
        Assert.Equal(2, result.Accounts.Count);
        Assert.All(result.Accounts, id => Assert.Equal(4, result.Errors.Count(e => e.AccountId == id && e.Operation == "ResourceGraph.Resources")));
        Assert.Equal(result.Manifest.Tables.Count, result.Manifest.Tables.Select(t => (t.Table, t.AccountId)).Distinct().Count());
        Assert.All(result.Accounts, id => Assert.Contains(result.Manifest.Tables, t => t.AccountId == id && t.Table == "azure_resources"));
    }

    [Fact]
    public async Task Azure_unavailable_at_start_up_stops_the_run_as_unavailable()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o => o.ErrorRate = 1.0);
        var e = await Assert.ThrowsAsync<CollectionException>(() => new InventoryCollector().RunAsync(Options(session, a => a.MaxRetries = 0)));

        Assert.Contains("Azure was unavailable at start-up", e.Message, StringComparison.Ordinal);
        Assert.True(Assert.IsType<CloudInventory.Azure.AzureApiException>(e.InnerException).IsUnavailable);
        Assert.Empty(Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Refuses_an_unknown_subscription_a_missing_management_group_and_a_wrong_secret_before_writing()
    {
        await using var session = await AzureSimulatorSession.StartAsync();
        var known = session.Simulator.World.Subscriptions[0].Id;
        var unknown = known[..^1] + (known[^1] == '0' ? '1' : '0');

        var e = await Assert.ThrowsAsync<CollectionException>(() => new InventoryCollector().RunAsync(Options(session, a => a.Subscriptions = [unknown])));
        Assert.Contains($"subscription '{unknown}' is not visible", e.Message, StringComparison.Ordinal);
        Assert.Contains($"did you mean '{known}'", e.Message, StringComparison.Ordinal);

        e = await Assert.ThrowsAsync<CollectionException>(() => new InventoryCollector().RunAsync(Options(session, a => a.ManagementGroup = "no-such-group")));
        Assert.Contains("management group 'no-such-group' was not found", e.Message, StringComparison.Ordinal);

        var options = Options(session);
        options.Azure.Credential = session.Credential("wrong-secret");
        e = await Assert.ThrowsAsync<CollectionException>(() => new InventoryCollector().RunAsync(options));
        Assert.Contains("the Azure credentials", e.Message, StringComparison.Ordinal);

        Assert.Empty(Directory.EnumerateFiles(_store, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_management_group_scopes_the_run_to_the_subscriptions_below_it_at_any_depth()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o => o.Subscriptions = 4);
        var world = session.Simulator.World;
        var result = await new InventoryCollector().RunAsync(Options(session, a => a.ManagementGroup = "landing-zones", "azure_resources"));

        var expected = world.Subscriptions.Where(s => s.State == "Enabled" && s.ManagementGroup is "corp" or "corp-prod" or "landing-zones").Select(s => s.Id).Order(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(expected, result.Accounts);
    }

    [Fact]
    public async Task The_management_groups_below_the_named_group_carry_their_ancestry()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o => o.Subscriptions = 4);
        var world = session.Simulator.World;
        var result = await new InventoryCollector().RunAsync(Options(session, a => a.ManagementGroup = "landing-zones", "azure_management_groups"));

        Assert.Equal(RunStatus.Complete, result.Manifest.Status);
        var unit = Assert.Single(result.Manifest.Tables);
        Assert.Equal(("azure_management_groups", world.TenantId, "global", 3L, TableRunStatus.Ok), (unit.Table, unit.AccountId, unit.Region, unit.Rows, unit.Status));
        Assert.StartsWith("azure/management_groups/report_date=", File(result.Manifest, "azure_management_groups")[(_store.Length + 1)..].Replace('\\', '/'), StringComparison.Ordinal);
        var t = world.TenantId;
        string In(string group) => string.Join(",", world.Subscriptions.Where(s => s.ManagementGroup == group).Select(s => s.Id));
        Assert.Equal(
            [$"corp landing-zones {t}/landing-zones 2 {In("corp")}", $"corp-prod corp {t}/landing-zones/corp 3 {In("corp-prod")}", $"landing-zones {t} {t} 1 {In("landing-zones")}"],
            Strings($"select name || ' ' || parent_name || ' ' || array_to_string(ancestors, '/') || ' ' || depth || ' ' || array_to_string(subscriptions, ',') from '{File(result.Manifest, "azure_management_groups")}' order by name"));
        Assert.Equal(0, Scalar($"select count(*) from '{File(result.Manifest, "azure_management_groups")}' where account_id <> '{t}' or tenant_id <> '{t}' or display_name is null or parent_id not like '/providers/Microsoft.Management/managementGroups/%'"));
    }

    [Fact]
    public async Task A_credential_that_may_not_read_the_tenant_root_group_skips_the_management_groups_with_the_reason()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o => o.ManagementGroupsReadable = false);
        var result = await new InventoryCollector().RunAsync(Options(session, null, "azure_management_groups", "azure_subscriptions"));

        Assert.Equal(RunStatus.Complete, result.Manifest.Status);
        var skipped = Assert.Single(result.Manifest.Tables, t => t.Table == "azure_management_groups");
        Assert.Equal((session.Simulator.World.TenantId, TableRunStatus.Skipped, "ManagementGroupsNotReadable"), (skipped.AccountId, skipped.Status, skipped.ErrorCode));
        var error = Assert.Single(result.Errors, e => e.Table == "azure_management_groups");
        Assert.Contains("grant it Reader at the tenant root group", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuthorizationFailed", error.Message, StringComparison.Ordinal);
        Assert.Equal(session.Simulator.World.Subscriptions.Count, result.Manifest.Tables.Count(t => t.Table == "azure_subscriptions" && t.Status == TableRunStatus.Ok));
    }

    [Fact]
    public async Task Standard_views_read_azure_tables_like_aws_ones()
    {
        await using var session = await AzureSimulatorSession.StartAsync();
        await new InventoryCollector().RunAsync(Options(session));
        using var db = InventoryDatabase.Open(_store, TableCatalog.Default);
        using var reader = db.ExecuteQuery("select count(*) from current_azure_compute_virtual_machines where tags is not null");
        Assert.True(reader.Read());
        var vms = WorldResources(session.Simulator).Count(r => string.Equals((string)r["type"]!, "microsoft.compute/virtualmachines", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(vms, Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));

        // One footprint: every Azure resource once (not again from its type's table), account = subscription, region = location;
        // with the rows the catch-all does not hold: subnets (nested in their VNets), role and policy assignments (no location: global).
        var world = session.Simulator.World;
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").ToList();
        var expected = WorldResources(session.Simulator).Select(r => (string)r["id"]!)
            .Concat(WorldResources(session.Simulator).Where(r => (string)r["type"]! == "microsoft.network/virtualnetworks").SelectMany(r => r["properties"]!["subnets"]!.AsArray().Select(s => (string)s!["id"]!)))
            .Concat(enabled.SelectMany(s => world.AuthorizationResources(s, AzureSimulatorSession.Day).Concat(world.PolicyResources(s, AzureSimulatorSession.Day))).Select(r => (string)r["id"]!))
            .ToList();
        using var footprint = db.ExecuteQuery("select count(*), count(distinct resource_id), count(*) filter (where account_id is null or region = 'global' and resource_type not like 'microsoft.authorization/%') " +
            "from cloudinv_resources where cloud = 'azure' and resource_type not like 'microsoft.resources/%'");
        Assert.True(footprint.Read());
        Assert.Equal(expected.Count, Convert.ToInt64(footprint.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.Count, Convert.ToInt64(footprint.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, Convert.ToInt64(footprint.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
        using var byType = db.ExecuteQuery("select count(*) from cloudinv_resources where resource_type = 'microsoft.compute/virtualmachines' and service = 'compute'");
        Assert.True(byType.Read());
        Assert.Equal(vms, Convert.ToInt64(byType.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
    }
}
