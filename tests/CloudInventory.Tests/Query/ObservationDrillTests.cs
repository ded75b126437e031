using CloudInventory.Aws.Credentials;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Query;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Query;

/// <summary>
/// The fault drill of the store integrity issue: one account's S3 units fail (access denied) on alternate days. The same
/// days are collected twice from the same simulated world, once with the faults and once without; diff and trend over
/// the faulty store report no removals or drops the clean store does not, and name the units not observed.
/// </summary>
public sealed class ObservationDrillTests : IAsyncLifetime
{
    private static readonly DateOnly First = new(2026, 6, 1);
    private const int Days = 6;
    private static readonly string[] s_tables = ["aws_ec2_instances", "aws_s3_buckets"];
    private readonly string _clean = Directory.CreateTempSubdirectory("cloudinv-drill-clean-").FullName;
    private readonly string _faulty = Directory.CreateTempSubdirectory("cloudinv-drill-faulty-").FullName;
    private readonly SimulatorOptions _options = new() { Seed = 11, Accounts = 2, Regions = ["us-east-1", "eu-west-1"] };
    private SimulatedCloud _cloud = null!;
    private string _denied = "";

    // Days 2, 4 and 6 (index 1, 3, 5) are the faulty ones.
    private static bool IsFaulty(DateOnly day) => (day.DayNumber - First.DayNumber) % 2 == 1;

    public async Task InitializeAsync()
    {
        _cloud = await SimulatedCloud.StartAsync(_options);
        for (var day = First; day < First.AddDays(Days); day = day.AddDays(1))
        {
            var accounts = (await CollectAsync(_clean, day)).Accounts;
            _denied = accounts[^1];
            if (IsFaulty(day)) _options.AccessDenied.Add((_denied, "s3"));
            await CollectAsync(_faulty, day);
            _options.AccessDenied.Clear();
        }
    }

    private async Task<CollectionResult> CollectAsync(string store, DateOnly day)
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
        Assert.Equal(0, result.ExitCode);
        return result;
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        Directory.Delete(_clean, recursive: true);
        Directory.Delete(_faulty, recursive: true);
    }

    [Fact]
    public void Diff_reports_no_spurious_removals_and_names_the_units_not_compared()
    {
        using var clean = InventoryDatabase.Open(_clean, TableCatalog.Default);
        using var faulty = InventoryDatabase.Open(_faulty, TableCatalog.Default);
        var removedInClean = 0L;
        for (var day = First.AddDays(1); day < First.AddDays(Days); day = day.AddDays(1))
        {
            var options = new DiffOptions { From = Reference(day.AddDays(-1)), To = Reference(day) };
            var expected = InventoryDiff.Compute(clean, options);
            var actual = InventoryDiff.Compute(faulty, options);
            Assert.Empty(expected.NotCompared);
            // Every pair of days has a faulty side: the denied account's buckets are not compared, and named.
            var unit = Assert.Single(actual.NotCompared);
            Assert.Equal(("aws_s3_buckets", _denied, "global"), (unit.Table, unit.AccountId, unit.Region));
            Assert.StartsWith("skipped in run ", unit.Reason, StringComparison.Ordinal);
            foreach (var table in s_tables)
            {
                var cleanDiff = expected.Tables.SingleOrDefault(t => t.Table == table);
                var faultyDiff = actual.Tables.SingleOrDefault(t => t.Table == table);
                var cleanRemoved = Keys(cleanDiff?.Removed);
                var faultyRemoved = Keys(faultyDiff?.Removed);
                removedInClean += cleanRemoved.Count;
                // No removal the clean store does not have; the clean store's, except the unit not compared, are all there.
                Assert.Subset(cleanRemoved, faultyRemoved);
                Assert.DoesNotContain(faultyRemoved, k => table == "aws_s3_buckets" && k.Contains(_denied, StringComparison.Ordinal));
                var comparable = table == "aws_s3_buckets" ? cleanRemoved.Where(k => !k.Contains(_denied, StringComparison.Ordinal)).ToHashSet() : cleanRemoved;
                Assert.Equal(comparable, faultyRemoved);
                var comparableAdded = Keys(cleanDiff?.Added).Where(k => table != "aws_s3_buckets" || !k.Contains(_denied, StringComparison.Ordinal)).ToHashSet();
                Assert.Equal(comparableAdded, Keys(faultyDiff?.Added));
            }
        }
        // The world changed over the period (the drill would prove nothing otherwise).
        Assert.True(removedInClean > 0);
    }

    [Fact]
    public void Trend_marks_the_gaps_and_shows_no_drop()
    {
        using var clean = InventoryDatabase.Open(_clean, TableCatalog.Default);
        using var faulty = InventoryDatabase.Open(_faulty, TableCatalog.Default);
        var options = new TrendOptions { TableGlob = "aws_s3_buckets", By = "account" };
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
            // The gap: the previous day's observation is counted, and the unit is named.
            Assert.Equal(expected[(day.AddDays(-1), account)].Count, point.Count);
            Assert.Equal(point.Count, point.Carried);
            Assert.True(point.Count > 0);
            Assert.Equal($"aws_s3_buckets {_denied}/global", point.NotObserved);
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
    }

    private static SnapshotReference Reference(DateOnly day) => SnapshotReference.Parse(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day);

    private static HashSet<string> Keys(IReadOnlyList<IReadOnlyDictionary<string, string?>>? rows) =>
        (rows ?? []).Select(k => string.Join(";", k.Select(kv => $"{kv.Key}={kv.Value}"))).ToHashSet(StringComparer.Ordinal);
}
