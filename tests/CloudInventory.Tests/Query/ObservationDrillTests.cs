using CloudInventory.Aws.Credentials;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Query;
using CloudInventory.Simulator;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Query;

/// <summary>
/// The fault drill of the store integrity issue: on alternate days one account fails, in two ways — its S3 units are
/// denied (table-level skips), or the account cannot be entered at all (<c>ec2:DescribeRegions</c> denied, so none of its
/// units is planned). The same days are collected three times from the same simulated world: clean, with the table-level
/// fault and with the account-level fault. Diff, trend and the current views over the faulty stores report no removals or
/// drops the clean store does not, and name the units not observed.
/// </summary>
public sealed class ObservationDrillTests : IAsyncLifetime
{
    private static readonly DateOnly First = new(2026, 6, 1);
    private const int Days = 6;
    private static readonly string[] s_tables = ["aws_ec2_instances", "aws_s3_buckets"];
    private readonly string _clean = Directory.CreateTempSubdirectory("cloudinv-drill-clean-").FullName;
    private readonly string _faulty = Directory.CreateTempSubdirectory("cloudinv-drill-faulty-").FullName;
    private readonly string _unentered = Directory.CreateTempSubdirectory("cloudinv-drill-unentered-").FullName;
    private readonly SimulatorOptions _options = new() { Seed = 11, Accounts = 2, Regions = ["us-east-1", "eu-west-1"] };
    private readonly List<RunManifest> _unenteredRuns = [];
    private SimulatedCloud _cloud = null!;
    private string _denied = "";

    // Days 2, 4 and 6 (index 1, 3, 5) are the faulty ones.
    private static bool IsFaulty(DateOnly day) => (day.DayNumber - First.DayNumber) % 2 == 1;

    public async Task InitializeAsync()
    {
        _cloud = await SimulatedCloud.StartAsync(_options);
        for (var day = First; day < First.AddDays(Days); day = day.AddDays(1))
        {
            var accounts = (await CollectAsync(_clean, day, expectedExitCode: 0)).Accounts;
            _denied = accounts[^1];
            if (IsFaulty(day)) _options.AccessDenied.Add((_denied, "s3"));
            await CollectAsync(_faulty, day, expectedExitCode: 0);
            _options.AccessDenied.Clear();
            // The account-level fault: the account's regions cannot be read, so the account is not entered; the run is partial.
            if (IsFaulty(day)) _options.AccessDenied.Add((_denied, "ec2"));
            _unenteredRuns.Add((await CollectAsync(_unentered, day, expectedExitCode: IsFaulty(day) ? 3 : 0)).Manifest);
            _options.AccessDenied.Clear();
        }
    }

    private async Task<CollectionResult> CollectAsync(string store, DateOnly day, int expectedExitCode)
    {
        _cloud.Date = day;
        var result = await new InventoryCollector().RunAsync(new CollectOptions
        {
            Credentials = AwsCredentialSource.Static(_cloud.ManagementAccessKey, _cloud.SecretFor(_cloud.ManagementAccessKey)),
            EndpointUrl = _cloud.Endpoint,
            Organization = true,
            RoleName = "inventory",
            Tables = s_tables,
            Store = store,
            RateMultiplier = 100,
            ReportTime = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc)),
        });
        Assert.Equal(expectedExitCode, result.ExitCode);
        return result;
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        Directory.Delete(_clean, recursive: true);
        Directory.Delete(_faulty, recursive: true);
        Directory.Delete(_unentered, recursive: true);
    }

    [Fact]
    public void Diff_reports_no_spurious_removals_and_names_the_units_not_compared()
    {
        using var clean = InventoryDatabase.Open(_clean, TableCatalog.Default);
        using var faulty = InventoryDatabase.Open(_faulty, TableCatalog.Default);
        AssertNoSpuriousChanges(clean, faulty, new HashSet<string>(["aws_s3_buckets"]), notCompared =>
        {
            // Every pair of days has a faulty side: the denied account's buckets are not compared, and named.
            var unit = Assert.Single(notCompared);
            Assert.Equal(("aws_s3_buckets", _denied, "global"), (unit.Table, unit.AccountId, unit.Region));
            Assert.StartsWith("skipped in run ", unit.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void An_account_that_cannot_be_entered_makes_the_run_partial_and_records_its_units_as_not_observed()
    {
        foreach (var manifest in _unenteredRuns.Where(m => IsFaulty(m.ReportDate)))
        {
            Assert.Equal(RunStatus.Partial, manifest.Status);
            // Its global unit is named as failed with the call's code; its regional units cannot be named (its regions are unknown).
            var entry = Assert.Single(manifest.Tables, t => t.AccountId == _denied);
            Assert.Equal(("aws_s3_buckets", "global", TableRunStatus.Error, "UnauthorizedOperation"), (entry.Table, entry.Region, entry.Status, entry.ErrorCode));
            Assert.Contains(manifest.Tables, t => t.AccountId != _denied && t.Status == TableRunStatus.Ok);
        }
        Assert.All(_unenteredRuns.Where(m => !IsFaulty(m.ReportDate)), m => Assert.Equal(RunStatus.Complete, m.Status));
    }

    [Fact]
    public void Diff_over_an_account_that_could_not_be_entered_reports_no_removals_and_names_its_units()
    {
        using var clean = InventoryDatabase.Open(_clean, TableCatalog.Default);
        using var unentered = InventoryDatabase.Open(_unentered, TableCatalog.Default);
        var regions = RegionsOf(clean, "aws_ec2_instances", _denied);
        Assert.NotEmpty(regions);
        AssertNoSpuriousChanges(clean, unentered, s_tables.ToHashSet(), notCompared =>
        {
            var expected = regions.Select(r => ("aws_ec2_instances", r)).Append(("aws_s3_buckets", "global")).Order().ToArray();
            Assert.Equal(expected, notCompared.Select(u => (u.Table, u.Region)).Order().ToArray());
            Assert.All(notCompared, u => Assert.Equal(_denied, u.AccountId));
            Assert.All(notCompared.Where(u => u.Table == "aws_ec2_instances"), u => Assert.Matches("^not in run .*, which was not complete$", u.Reason));
            Assert.StartsWith("error in run ", notCompared.Single(u => u.Table == "aws_s3_buckets").Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Trend_marks_the_gaps_and_shows_no_drop()
    {
        using var clean = InventoryDatabase.Open(_clean, TableCatalog.Default);
        using var faulty = InventoryDatabase.Open(_faulty, TableCatalog.Default);
        AssertGapsNotDrops(clean, faulty, "aws_s3_buckets", $"aws_s3_buckets {_denied}/global");
    }

    [Fact]
    public void Trend_over_an_account_that_could_not_be_entered_marks_the_gaps_and_shows_no_drop()
    {
        using var clean = InventoryDatabase.Open(_clean, TableCatalog.Default);
        using var unentered = InventoryDatabase.Open(_unentered, TableCatalog.Default);
        AssertGapsNotDrops(clean, unentered, "aws_s3_buckets", $"aws_s3_buckets {_denied}/global");
        var units = string.Join(", ", RegionsOf(clean, "aws_ec2_instances", _denied).Select(r => $"aws_ec2_instances {_denied}/{r}"));
        AssertGapsNotDrops(clean, unentered, "aws_ec2_instances", units);
    }

    [Fact]
    public void Current_views_keep_the_last_observation_of_an_account_that_could_not_be_entered()
    {
        // The last day is faulty: the denied account's rows are the previous day's, with that day's report time.
        var last = First.AddDays(Days - 1);
        Assert.True(IsFaulty(last));
        using var clean = InventoryDatabase.Open(_clean, TableCatalog.Default);
        using var unentered = InventoryDatabase.Open(_unentered, TableCatalog.Default);
        foreach (var table in s_tables)
        {
            var expected = Count(clean, $"SELECT count(*) FROM daily_{table} WHERE account_id = '{_denied}' AND report_date = DATE '{last.AddDays(-1):yyyy-MM-dd}'");
            Assert.True(expected > 0, table);
            Assert.Equal(expected, Count(unentered, $"SELECT count(*) FROM current_{table} WHERE account_id = '{_denied}'"));
            Assert.Equal(expected, Count(unentered, $"SELECT count(*) FROM current_{table} WHERE account_id = '{_denied}' AND CAST(report_time AS DATE) = DATE '{last.AddDays(-1):yyyy-MM-dd}'"));
            // The other account is today's.
            Assert.Equal(Count(clean, $"SELECT count(*) FROM current_{table} WHERE account_id <> '{_denied}'"),
                Count(unentered, $"SELECT count(*) FROM current_{table} WHERE account_id <> '{_denied}' AND CAST(report_time AS DATE) = DATE '{last:yyyy-MM-dd}'"));
        }
    }

    [Fact]
    public void The_cli_says_which_units_were_not_observed()
    {
        var (code, output, _) = CliRunner.Run("diff", "--from", "2026-06-01", "--to", "2026-06-02", "--store", _faulty, "--format", "table");
        Assert.Equal(0, code);
        Assert.Contains($"not compared aws_s3_buckets {_denied}/global: skipped in run ", output, StringComparison.Ordinal);
        var (trendCode, trend, _) = CliRunner.Run("trend", "--by", "account", "--table", "aws_s3_buckets", "--since", "2026-06-01", "--format", "chart", "--store", _faulty);
        Assert.Equal(0, trendCode);
        Assert.Contains($"gap 2026-06-02: not observed (last observation counted): aws_s3_buckets {_denied}/global", trend, StringComparison.Ordinal);

        var (unenteredCode, unentered, _) = CliRunner.Run("diff", "--from", "2026-06-01", "--to", "2026-06-02", "--store", _unentered, "--format", "table");
        Assert.Equal(0, unenteredCode);
        Assert.Contains($"not compared aws_ec2_instances {_denied}/us-east-1: not in run ", unentered, StringComparison.Ordinal);
        Assert.Contains($"not compared aws_s3_buckets {_denied}/global: error in run ", unentered, StringComparison.Ordinal);
    }

    // Over every pair of consecutive days: no removal or addition the clean store does not have, except in the units not compared (named).
    private void AssertNoSpuriousChanges(InventoryDatabase clean, InventoryDatabase faulty, IReadOnlySet<string> deniedTables, Action<IReadOnlyList<UnitNotCompared>> notCompared)
    {
        var removedInClean = 0L;
        for (var day = First.AddDays(1); day < First.AddDays(Days); day = day.AddDays(1))
        {
            var options = new DiffOptions { From = Reference(day.AddDays(-1)), To = Reference(day) };
            var expected = InventoryDiff.Compute(clean, options);
            var actual = InventoryDiff.Compute(faulty, options);
            Assert.Empty(expected.NotCompared);
            notCompared(actual.NotCompared);
            foreach (var table in s_tables)
            {
                var cleanDiff = expected.Tables.SingleOrDefault(t => t.Table == table);
                var faultyDiff = actual.Tables.SingleOrDefault(t => t.Table == table);
                var cleanRemoved = Keys(cleanDiff?.Removed);
                var faultyRemoved = Keys(faultyDiff?.Removed);
                removedInClean += cleanRemoved.Count;
                bool Comparable(string key) => !deniedTables.Contains(table) || !key.Contains(_denied, StringComparison.Ordinal);
                // No removal the clean store does not have; the clean store's, except in the units not compared, are all there.
                Assert.Subset(cleanRemoved, faultyRemoved);
                Assert.Equal(cleanRemoved.Where(Comparable).ToHashSet(), faultyRemoved);
                Assert.Equal(Keys(cleanDiff?.Added).Where(Comparable).ToHashSet(), Keys(faultyDiff?.Added));
            }
        }
        // The world changed over the period (the drill would prove nothing otherwise).
        Assert.True(removedInClean > 0);
    }

    // Per day and account: the counts of the clean store, except on a faulty day for the denied account: the previous day's count, carried, and the units named.
    private void AssertGapsNotDrops(InventoryDatabase clean, InventoryDatabase faulty, string table, string units)
    {
        var options = new TrendOptions { TableGlob = table, By = "account" };
        var expected = InventoryTrend.Compute(clean, options).ToDictionary(p => (p.Date, p.Group));
        var actual = InventoryTrend.Compute(faulty, options).ToDictionary(p => (p.Date, p.Group));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var ((day, account), point) in actual)
        {
            if (account != _denied || !IsFaulty(day))
            {
                Assert.Equal(expected[(day, account)] with { }, point);
                continue;
            }
            // The gap: the previous day's observation is counted, and the units are named.
            Assert.Equal(expected[(day.AddDays(-1), account)].Count, point.Count);
            Assert.Equal(point.Count, point.Carried);
            Assert.True(point.Count > 0);
            Assert.Equal(units, point.NotObserved);
        }
    }

    private static string[] RegionsOf(InventoryDatabase database, string table, string account)
    {
        using var reader = database.ExecuteQuery($"SELECT DISTINCT region FROM {table} WHERE account_id = '{account}' ORDER BY 1");
        var regions = new List<string>();
        while (reader.Read()) regions.Add(reader.GetString(0));
        return regions.ToArray();
    }

    private static long Count(InventoryDatabase database, string sql)
    {
        using var reader = database.ExecuteQuery(sql);
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }

    private static SnapshotReference Reference(DateOnly day) => SnapshotReference.Parse(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day);

    private static HashSet<string> Keys(IReadOnlyList<IReadOnlyDictionary<string, string?>>? rows) =>
        (rows ?? []).Select(k => string.Join(";", k.Select(kv => $"{kv.Key}={kv.Value}"))).ToHashSet(StringComparer.Ordinal);
}
