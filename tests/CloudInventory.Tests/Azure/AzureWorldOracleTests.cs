using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;
using CloudInventory.Simulator.Azure;
using CloudInventory.Storage;
using DuckDB.NET.Data;
using Xunit.Abstractions;

namespace CloudInventory.Tests.Azure;

/// <summary>
/// The Azure world oracle: every curated Azure table of a <c>cloudinv collect</c> run against the simulated tenant,
/// row for row against the tenant's world (the simulator's own rows, read without HTTP, paging or any collector
/// code): the identity columns (account, id, name, type, subscription, resource group, location, kind) and the tags of
/// every row, the whole <c>properties</c> of the catch-all and container tables and, in the per-type tables, every typed
/// <c>properties</c> column and <c>properties_extra</c> (with the planted secrets taken out, since they must never be
/// stored); subnets from their virtual networks, role and policy assignments from Resource Graph's other tables, every
/// subscription in scope (the disabled one too) and the management group tree with its ancestry. Azure's official JS
/// clients, reading the same tenant, see exactly the rows the run stored.
/// </summary>
public sealed class AzureWorldOracleTests(AzureTenantRun run, ITestOutputHelper output) : IClassFixture<AzureTenantRun>
{
    private const string Null = "<null>";
    private const char Separator = '\u001f';
    private static readonly string[] s_identity = ["account_id", "id", "name", "type", "subscription_id", "resource_group", "location", "kind", "tags"];
    private static readonly string[] s_subscriptionColumns = ["account_id", "id", "subscription_id", "name", "display_name", "type", "tenant_id", "state"];
    private static readonly string[] s_groupColumns = ["account_id", "id", "name", "display_name", "parent_id", "parent_name", "ancestors", "depth", "subscriptions"];

    private SimulatedAzureWorld World => run.Session.Simulator.World;

    private List<SimulatedAzureSubscription> Enabled => World.Subscriptions.Where(s => s.State == "Enabled").ToList();

    private static IEnumerable<Table> AzureCurated => TableCatalog.Default.Curated.Where(t => t.Cloud == Cloud.Azure);

    [Fact]
    public void Every_curated_azure_table_holds_exactly_the_rows_of_the_world()
    {
        Assert.Equal(RunStatus.Complete, run.Manifest.Status);
        Assert.Equal(Enabled.Select(s => s.Id).Order(StringComparer.OrdinalIgnoreCase), run.Accounts);
        var mismatches = new List<string>();
        var empty = new List<string>();
        var rows = 0;
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var table in AzureCurated)
        {
            var (columns, want) = Expected(table);
            var got = Collected(connection, table, columns);
            rows += want.Count;
            if (want.Count == 0) empty.Add(table.Name);
            if (!want.Order(StringComparer.Ordinal).SequenceEqual(got.Order(StringComparer.Ordinal), StringComparer.Ordinal)) mismatches.Add(Describe(table, columns, want, got));
        }
        output.WriteLine($"{AzureCurated.Count()} curated Azure tables compared row for row ({rows} rows); without rows in the world: {string.Join(", ", empty)}");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        // Every curated table has rows to compare: subnets (nested in their VNets), role and policy assignments (in
        // authorizationresources and policyresources) and the subscriptions (from their API) included.
        Assert.Empty(empty);
    }

    [Fact]
    public void The_disabled_subscription_is_skipped_with_its_reason_and_only_its_subscription_row_is_stored()
    {
        var disabled = World.Subscriptions.Single(s => s.State != "Enabled");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var errors = Strings(connection, $"select account_id || ' ' || error_code || ' ' || message from read_parquet([{run.Files(StoreLayout.ErrorsTable)}])");
        var skip = Assert.Single(errors);
        Assert.StartsWith($"{disabled.Id} SubscriptionNotEnabled ", skip, StringComparison.Ordinal);
        Assert.Contains("is Disabled; only Enabled subscriptions are collected", skip, StringComparison.Ordinal);
        // The subscription table lists it with its state; nothing else of it is stored or observed.
        var entry = Assert.Single(run.Manifest.Tables, t => string.Equals(t.AccountId, disabled.Id, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(("azure_subscriptions", TableRunStatus.Ok, 1L), (entry.Table, entry.Status, entry.Rows));
        Assert.Equal([$"{disabled.DisplayName} Disabled"], Strings(connection, $"select display_name || ' ' || state from read_parquet([{run.Files("azure_subscriptions")}]) where account_id = '{disabled.Id}'"));
        foreach (var file in run.Manifest.Files.Where(f => f.Table is not StoreLayout.ErrorsTable and not "azure_subscriptions"))
        {
            Assert.Empty(Strings(connection, $"select account_id from read_parquet('{Path.Combine(run.Store, file.Path)}') where account_id = '{disabled.Id}'"));
        }
    }

    [Fact]
    public void Nothing_sensitive_is_stored_although_the_world_plants_secrets()
    {
        var planted = Enabled.SelectMany(s => World.Resources(s, AzureSimulatorSession.Day)).Count(r => r.ToJsonString().Contains("planted-secret", StringComparison.Ordinal));
        Assert.True(planted > 0, "the world plants secrets");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var file in run.Manifest.Files)
        {
            var path = Path.Combine(run.Store, file.Path);
            Assert.Empty(Strings(connection, $"select id from (select to_json(t)::varchar as j, '' as id from read_parquet('{path}') t) where j like '%planted-secret%'"));
        }
        Assert.DoesNotContain("planted-secret", run.Cli.Stdout + run.Cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_comparison_notices_a_missing_and_a_changed_row()
    {
        var table = TableCatalog.Default.Find("azure_compute_virtual_machines")!;
        var (columns, want) = Expected(table);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var got = Collected(connection, table, columns);
        Assert.Equal(want.Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        Assert.NotEqual(want.Skip(1).Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        Assert.NotEqual(want.Skip(1).Append(want[0].Replace("westeurope", "eastus", StringComparison.Ordinal).Replace("northeurope", "eastus", StringComparison.Ordinal) + "x").Order(StringComparer.Ordinal),
            got.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_comparison_covers_the_typed_properties_and_notices_a_changed_one()
    {
        var table = TableCatalog.Default.Find("azure_network_virtual_networks_subnets")!;
        var (columns, want) = Expected(table);
        Assert.Contains("address_prefix", columns);
        Assert.Contains("network_security_group", columns);
        Assert.Contains("properties_extra", columns);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var got = Collected(connection, table, columns);
        Assert.Equal(want.Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        var changed = want.Select((row, i) => i == 0 ? row.Replace("10.0.0.0/24", "10.9.0.0/24", StringComparison.Ordinal).Replace("10.0.1.0/24", "10.9.1.0/24", StringComparison.Ordinal) : row);
        Assert.NotEqual(changed.Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Azures_javascript_clients_see_exactly_the_resources_the_run_stored()
    {
        var judged = await AzureJudgeTests.RunJudgeAsync(run.Session, World.TenantId);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        HashSet<string> Stored(params string[] tables) => tables.SelectMany(t => Strings(connection, $"select lower(id) from read_parquet([{run.Files(t)}])")).ToHashSet(StringComparer.Ordinal);
        HashSet<string> Seen(string table) => judged["tables"]![table]!["rows"]!.AsArray().Select(r => ((string)r!["id"]!).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

        IEnumerable<JsonNode> Rows(string table) => judged["tables"]![table]!["rows"]!.AsArray().Select(r => r!);
        HashSet<string> Ids(IEnumerable<JsonNode> rows) => rows.Select(r => ((string)r["id"]!).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        bool OfType(JsonNode row, string type) => string.Equals((string)row["type"]!, type, StringComparison.OrdinalIgnoreCase);

        var resources = Stored("azure_resources");
        Assert.NotEmpty(resources);
        Assert.True(Seen("resources").SetEquals(resources), "the JS client's resources are the stored ones");
        Assert.True(Ids(Rows("resourcecontainers").Where(r => OfType(r, "microsoft.resources/subscriptions/resourcegroups"))).SetEquals(Stored("azure_resource_groups")),
            "the JS client's resource groups are the stored ones");
        // Subnets: the items of the virtual networks' properties.subnets as the JS client parsed them.
        var subnets = Ids(Rows("resources").Where(r => OfType(r, "microsoft.network/virtualnetworks")).SelectMany(r => r["properties"]!["subnets"]!.AsArray().Select(s => s!)));
        Assert.NotEmpty(subnets);
        Assert.True(subnets.SetEquals(Stored("azure_network_virtual_networks_subnets")), "the JS client's subnets are the stored ones");
        foreach (var (graph, table) in new[] { ("authorizationresources", "azure_authorization_role_assignments"), ("policyresources", "azure_authorization_policy_assignments") })
        {
            Assert.NotEmpty(Seen(graph));
            Assert.True(Seen(graph).SetEquals(Stored(table)), $"the JS client's {graph} rows are the stored {table}");
        }
        // Every subscription the JS client lists (the disabled one too) is a stored subscription row, with its state, policies and tags.
        var listed = judged["subscriptions"]!.AsArray().Select(s => Join([(string)s!["subscriptionId"]!, (string)s["displayName"]!, (string)s["state"]!, (string)s["tenantId"]!,
            Canonical(s["subscriptionPolicies"]), Canonical(s["tags"])])).Order(StringComparer.Ordinal);
        var stored = Strings(connection, "select subscription_id || chr(31) || display_name || chr(31) || state || chr(31) || tenant_id || chr(31) || " +
            "json_object('locationPlacementId', subscription_policies.location_placement_id, 'quotaId', subscription_policies.quota_id, 'spendingLimit', subscription_policies.spending_limit)::varchar || chr(31) || " +
            "coalesce(to_json(tags)::varchar, 'null') " +
            $"from read_parquet([{run.Files("azure_subscriptions")}])").Select(r => Join(r.Split(Separator).Select((v, i) => i >= 4 ? Canonical(JsonNode.Parse(v)) : v).ToArray()));
        Assert.Equal(listed, stored.Order(StringComparer.Ordinal));
        var groups = judged["descendants"]!.AsArray().Where(d => !((string)d!["type"]!).EndsWith("subscriptions", StringComparison.OrdinalIgnoreCase))
            .Select(d => ((string)d!["id"]!).ToLowerInvariant()).Append($"/providers/microsoft.management/managementgroups/{World.TenantId}");
        Assert.True(groups.ToHashSet(StringComparer.Ordinal).SetEquals(Stored("azure_management_groups")), "the JS client's management groups are the stored ones");
        var enabled = judged["subscriptions"]!.AsArray().Where(s => (string)s!["state"]! == "Enabled").Select(s => (string)s!["subscriptionId"]!).Order(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(enabled, run.Accounts);
    }

    // The compared columns of a table and the world's rows in them, as text.
    private (string[] Columns, List<string> Rows) Expected(Table table)
    {
        var day = AzureSimulatorSession.Day;
        if (table.Name == "azure_management_groups")
        {
            var groups = World.ManagementGroups.ToDictionary(g => g.Name);
            return (s_groupColumns, World.ManagementGroups.Select(g =>
            {
                var ancestors = new List<string>();
                for (var p = g.Parent; p is not null; p = groups[p].Parent) ancestors.Insert(0, p);
                var subscriptions = World.Subscriptions.Where(s => s.ManagementGroup == g.Name).Select(s => s.Id).Order(StringComparer.Ordinal);
                return Join([World.TenantId, g.Id, g.Name, g.DisplayName, g.Parent is null ? Null : groups[g.Parent].Id, g.Parent ?? Null,
                    Canonical(new JsonArray(ancestors.Select(a => (JsonNode?)a).ToArray())), ancestors.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Canonical(new JsonArray(subscriptions.Select(s => (JsonNode?)s).ToArray()))]);
            }).ToList());
        }
        if (table.Name == "azure_subscriptions")
        {
            // Every subscription in scope, whatever its state, each the account of its own row.
            return (s_subscriptionColumns, World.Subscriptions.Select(s => Join([s.Id, "/subscriptions/" + s.Id, s.Id, s.DisplayName, s.DisplayName,
                "microsoft.resources/subscriptions", World.TenantId, s.State])).ToList());
        }
        var source = table.Azure!;
        IEnumerable<JsonObject> rows = source.ResourceGraphTable switch
        {
            "resourcecontainers" => Enabled.SelectMany(s => World.ResourceContainers(s, day)),
            "authorizationresources" => Enabled.SelectMany(s => World.AuthorizationResources(s, day)),
            "policyresources" => Enabled.SelectMany(s => World.PolicyResources(s, day)),
            _ => Enabled.SelectMany(s => World.Resources(s, day)),
        };
        if (source.NestedIn is { } parentType)
        {
            // A nested type's rows: the items of its parent's properties.<member>, with the parent's subscription, group and location.
            rows = rows.Where(r => string.Equals((string)r["type"]!, parentType, StringComparison.OrdinalIgnoreCase))
                .SelectMany(parent => (parent["properties"]![source.NestedMember!] as JsonArray ?? []).Select(item =>
                {
                    var row = (JsonObject)item!.DeepClone();
                    row["type"] = source.ResourceType!.ToLowerInvariant();
                    foreach (var inherited in new[] { "subscriptionId", "resourceGroup", "location" }) row[inherited] = parent[inherited]?.DeepClone();
                    return row;
                })).ToList();
        }
        else if (source.ResourceType is { } type)
        {
            rows = rows.Where(r => string.Equals((string)r["type"]!, type, StringComparison.OrdinalIgnoreCase));
        }
        var withProperties = source.ResourceType is null || source.ResourceGraphTable == "resourcecontainers";
        // A per-type table: each typed properties column (by the member it comes from) and properties_extra, the members no column names.
        var typed = withProperties ? [] : table.Columns.Where(c => c.SourcePath?.StartsWith("properties.", StringComparison.Ordinal) == true).ToList();
        var named = typed.Select(c => c.SourcePath!["properties.".Length..]).ToHashSet(StringComparer.Ordinal);
        string[] columns = withProperties ? [.. s_identity, "properties"] : [.. s_identity, .. typed.Select(c => c.Name), "properties_extra"];
        return (columns, rows.Select(r =>
        {
            string[] values = [(string)r["subscriptionId"]!, Text(r["id"]), Text(r["name"]), ((string)r["type"]!).ToLowerInvariant(), Text(r["subscriptionId"]), Text(r["resourceGroup"]),
                Text(r["location"]), Text(r["kind"]), Canonical(r["tags"])];
            if (withProperties) return Join([.. values, Canonical(WithoutPlanted(r["properties"]))]);
            var properties = WithoutPlanted(r["properties"]) as JsonObject ?? [];
            var extra = new JsonObject(properties.Where(p => !named.Contains(p.Key) && !AzureTableFactory.IsSecretBearing(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
            return Join([.. values, .. typed.Select(c => Canonical(properties[c.SourcePath!["properties.".Length..]])), extra.Count == 0 ? Null : Canonical(extra)]);
        }).ToList());
    }

    // The stored rows of a table in the compared columns, as text.
    private List<string> Collected(DuckDBConnection connection, Table table, string[] columns)
    {
        var files = run.Files(table.Name);
        if (files.Length == 0) return [];
        var select = columns.Select(c => c switch
        {
            "type" => "lower(type)",
            _ when table.FindColumn(c)!.Type.Kind == ColumnKind.Json => $"cast(\"{c}\" as varchar)",
            _ => $"cast(to_json(\"{c}\") as varchar)",
        });
        using var command = connection.CreateCommand();
        command.CommandText = $"select {string.Join(", ", select)} from read_parquet([{files}])";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Join(columns.Select((c, i) => reader.IsDBNull(i) ? Null : c == "type" ? reader.GetString(i)
                : Canonical(AsAzureWrote(JsonNode.Parse(reader.GetString(i)), table.FindColumn(c)!.Type))).ToArray()));
        }
        return rows;
    }

    // A stored value read back in Azure's spelling, by its column type: structure fields under the members they come from
    // (hardware_profile.vm_size → hardwareProfile.vmSize), JSON held as text parsed. Members a structure has no field for
    // are kept as they are, so a member the model does not know and the collector dropped shows as a difference.
    private static JsonNode? AsAzureWrote(JsonNode? node, ColumnType type) => (node, type.Kind) switch
    {
        (null, _) => null,
        (JsonValue v, ColumnKind.Json) when v.GetValueKind() == JsonValueKind.String => JsonNode.Parse(v.GetValue<string>()),
        (JsonObject o, ColumnKind.Struct) => new JsonObject(o.Select(p => type.Fields.FirstOrDefault(f => f.Name == p.Key) is { } field
            ? KeyValuePair.Create(field.SourceName, AsAzureWrote(p.Value, field.Type)) : KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
        (JsonArray a, ColumnKind.List) => new JsonArray(a.Select(e => AsAzureWrote(e, type.Element!)).ToArray()),
        _ => node.DeepClone(),
    };

    private static List<string> Strings(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.IsDBNull(0) ? Null : reader.GetValue(0).ToString()!);
        return values;
    }

    private static string Join(string[] values) => string.Join(Separator, values);

    private static string Text(JsonNode? node) => node is null ? Null : Canonical(node);

    // One text per value: strings as themselves, objects with their members sorted (at every depth), null as <null>.
    private static string Canonical(JsonNode? node) => node switch
    {
        null => Null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => Null,
        _ => Sorted(node)!.ToJsonString(),
    };

    // Members whose value is null are left out: a struct column reads back its absent fields as nulls.
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null && !(p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Null))
            .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };

    // The world's value without the members it planted secrets in (real Azure never returns them; they must not be stored).
    private static JsonNode? WithoutPlanted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => !(p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().StartsWith("planted-secret", StringComparison.Ordinal)))
            .Select(p => KeyValuePair.Create(p.Key, WithoutPlanted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(WithoutPlanted).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };

    private static string Describe(Table table, string[] columns, List<string> want, List<string> got)
    {
        var missing = want.Except(got, StringComparer.Ordinal).Take(3).ToList();
        var extra = got.Except(want, StringComparer.Ordinal).Take(3).ToList();
        string Show(string row) => string.Join(", ", columns.Zip(row.Split(Separator)).Select(p => $"{p.First}={(p.Second.Length > 200 ? p.Second[..200] + "…" : p.Second)}"));
        return $"{table.Name}: world {want.Count} rows, stored {got.Count}" + string.Concat(missing.Select(m => "\n  missing: " + Show(m))) + string.Concat(extra.Select(e => "\n  extra:   " + Show(e)));
    }
}
