using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Simulator.World;
using CloudInventory.Storage;
using DuckDB.NET.Data;
using Xunit.Abstractions;

namespace CloudInventory.Tests.Collection;

/// <summary>
/// Every curated table of an organisation run, row for row against the simulated world: the rows the world holds
/// for each account and region (computed by <see cref="WorldOracle"/> from the world itself, without HTTP or
/// paging) are the rows in the Parquet files, no more, no fewer, with the same identity values.
/// </summary>
public sealed class WorldOracleTests(OrganizationRun run, ITestOutputHelper output) : IClassFixture<OrganizationRun>
{
    private static readonly char Separator = '\u001f';

    private IReadOnlyList<string> ActiveAccounts =>
        run.Cloud.World.Accounts.Where(a => a.Status == "ACTIVE").Select(a => a.Id).Order(StringComparer.Ordinal).ToList();

    private IReadOnlyList<string> EnabledRegions => OrganizationRun.Regions.Where(run.Cloud.World.Regions.Contains).ToList();

    private (List<WorldOracle.Row> Rows, List<WorldOracle.WorldError> Errors) Expected() =>
        new WorldOracle(run.Cloud.World, OrganizationRun.Day, TableCatalog.Default.Curated.ToList(), OrganizationRun.HomeRegion)
            .Expected(ActiveAccounts, run.Cloud.World.ManagementAccount.Id, EnabledRegions);

    [Fact]
    public void Every_curated_table_holds_exactly_the_rows_the_simulated_world_holds()
    {
        // The organisation the issue asks for: five accounts, one suspended; three regions, one not opted in.
        var world = run.Cloud.World;
        Assert.Equal(5, world.Accounts.Count);
        Assert.Equal("SUSPENDED", Assert.Single(world.Accounts, a => a.Status != "ACTIVE").Status);
        Assert.Equal(3, OrganizationRun.Regions.Length);
        Assert.Equal([SimulatedWorld.OptInRegion], OrganizationRun.Regions.Except(world.Regions).ToList());
        Assert.Equal(RunStatus.Complete, run.Result.Manifest.Status);
        Assert.Equal(ActiveAccounts, run.Result.Accounts.Order(StringComparer.Ordinal).ToList());
        var (expected, errors) = Expected();
        Assert.Empty(errors);
        var byTable = expected.ToLookup(r => r.Table);
        var mismatches = new List<string>();
        var checkedTables = 0;
        long checkedRows = 0;
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var table in TableCatalog.Default.Curated)
        {
            var identity = WorldOracle.IdentityColumns(table);
            var want = Group(byTable[table.Name].Select(r => (r.AccountId, r.Region, string.Join(Separator, r.Identity))));
            var got = Group(Read(connection, table, identity));
            foreach (var key in want.Keys.Union(got.Keys).Order())
            {
                var w = want.GetValueOrDefault(key) ?? [];
                var g = got.GetValueOrDefault(key) ?? [];
                if (w.SequenceEqual(g, StringComparer.Ordinal)) continue;
                mismatches.Add(Describe(table, identity, key, w, g));
            }
            checkedTables++;
            checkedRows += want.Values.Sum(v => v.Count);
        }
        var compared = TableCatalog.Default.Curated.Sum(t => WorldOracle.IdentityColumns(t).Count(c => !c.Contains('.', StringComparison.Ordinal)));
        var data = TableCatalog.Default.Curated.Sum(t => t.Columns.Count(c => c.Origin is ColumnOrigin.Api or ColumnOrigin.Carried or ColumnOrigin.Parent));
        output.WriteLine($"{checkedTables} curated tables checked row for row ({checkedRows} rows; {compared} of their {data} API, carried and parent columns compared); none excluded");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches:\n{string.Join("\n", mismatches)}");
        // Every table has rows in the world, so no table passes by being empty on both sides.
        Assert.All(TableCatalog.Default.Curated, t => Assert.True(byTable[t.Name].Any(), $"{t.Name}: no rows in the world"));
        // Every table has columns to compare, so rows are told apart by more than their number.
        Assert.All(TableCatalog.Default.Curated, t => Assert.NotEmpty(WorldOracle.IdentityColumns(t)));
    }

    [Fact]
    public void The_manifest_counts_the_rows_the_simulated_world_holds_per_account_and_region()
    {
        var (expected, _) = Expected();
        var want = expected.GroupBy(r => (r.Table, r.AccountId, r.Region)).ToDictionary(g => g.Key, g => (long)g.Count());
        var got = run.Result.Manifest.Tables
            .GroupBy(t => (t.Table, t.AccountId, t.Region)).ToDictionary(g => g.Key, g => g.Sum(t => t.Rows));
        var mismatches = want.Keys.Union(got.Keys)
            .Where(k => want.GetValueOrDefault(k) != got.GetValueOrDefault(k))
            .Select(k => $"{k.Table} {k.AccountId}/{k.Region}: manifest {got.GetValueOrDefault(k)}, world {want.GetValueOrDefault(k)}").Order().ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void The_calls_the_world_refuses_are_the_errors_the_run_records()
    {
        var (_, worldErrors) = Expected();
        var want = worldErrors.Select(e => $"{e.Table} {e.AccountId}/{e.Region} {e.Operation}").Distinct().Order().ToList();
        var got = run.Result.Errors.Where(e => e.ErrorCode != "OptInRequired" && e.Enrichment is null)
            .Select(e => $"{e.Table} {e.AccountId}/{e.Region} {e.Operation}").Distinct().Order().ToList();
        Assert.Equal(want, got);
        // The opt-in region is skipped for every active account, and is the only skip.
        Assert.Equal(ActiveAccounts, run.Result.Errors.Where(e => e.ErrorCode == "OptInRequired").Select(e => e.AccountId).Order(StringComparer.Ordinal).ToList());
    }

    private static Dictionary<(string Account, string Region), List<string>> Group(IEnumerable<(string Account, string Region, string Identity)> rows) =>
        rows.GroupBy(r => (r.Account, r.Region)).ToDictionary(g => g.Key, g => g.Select(r => r.Identity).Order(StringComparer.Ordinal).ToList());

    private IEnumerable<(string Account, string Region, string Identity)> Read(DuckDBConnection connection, Table table, IReadOnlyList<string> identity)
    {
        var files = run.Result.Manifest.Files.Where(f => f.Table == table.Name).Select(f => $"'{Path.Combine(run.Store, f.Path)}'").ToList();
        if (files.Count == 0) return [];
        var types = identity.Select(c => WorldOracle.TypeOf(table, c)).ToList();
        // Everything as JSON text; a JSON column's own text is its document.
        var values = identity.Select((c, i) => types[i].Kind == ColumnKind.Json ? $"cast({Expression(c)} as varchar)" : $"cast(to_json({Expression(c)}) as varchar)");
        using var command = connection.CreateCommand();
        command.CommandText = $"select account_id, region{string.Concat(values.Select(v => ", " + v))} from read_parquet([{string.Join(", ", files)}])";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), string.Join(Separator, Enumerable.Range(0, identity.Count)
                .Select(i => reader.IsDBNull(i + 2) ? WorldOracle.Null : Text(WorldOracle.Document(JsonValue.Create(reader.GetString(i + 2)), urlEncoded: false), types[i])))));
        }
        return rows;
    }

    // The Parquet side's value in the oracle's canonical form (read by column field names; timestamps from DuckDB's text).
    private static string Text(JsonNode? node, ColumnType type) => WorldOracle.Canonical(node, type, apiNames: false) switch
    {
        null => WorldOracle.Null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        var canonical => canonical.ToJsonString(),
    };

    private static string Expression(string column)
    {
        var parts = column.Split('.');
        var expression = $"\"{parts[0]}\"";
        foreach (var field in parts.Skip(1)) expression = $"struct_extract({expression}, '{field}')";
        return expression;
    }

    private static string Describe(Table table, IReadOnlyList<string> identity, (string Account, string Region) key, List<string> want, List<string> got)
    {
        var missing = want.ToList();
        var extra = new List<string>();
        foreach (var g in got)
        {
            if (!missing.Remove(g)) extra.Add(g);
        }
        var text = new StringBuilder($"{table.Name} {key.Account}/{key.Region}: world {want.Count} rows, collected {got.Count}");
        text.Append($" [identity: {string.Join(", ", identity)}]");
        foreach (var m in missing.Take(3)) text.Append($"\n    missing: {m.Replace(Separator, '|')}");
        foreach (var e in extra.Take(3)) text.Append($"\n    extra:   {e.Replace(Separator, '|')}");
        return text.ToString();
    }
}
