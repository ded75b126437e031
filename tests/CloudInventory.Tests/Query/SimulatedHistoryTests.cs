using System.Data.Common;
using CloudInventory.Aws.Credentials;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Query;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Query;

/// <summary>
/// The questions of the query issue, answered over snapshots the collector took of the simulated cloud,
/// with the expected answers computed from the simulator's own world.
/// </summary>
public sealed class SimulatedHistoryTests : IAsyncLifetime
{
    private static readonly DateOnly First = new(2026, 3, 1);
    private const int Days = 40;
    private readonly string _store = Directory.CreateTempSubdirectory("cloudinv-history-").FullName;
    private SimulatedCloud _cloud = null!;
    private IReadOnlyList<string> _accounts = [];

    private static DateOnly Last => First.AddDays(Days - 1);

    public async Task InitializeAsync()
    {
        _cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 3, Accounts = 3, Regions = ["us-east-1", "eu-west-1"] });
        // Three snapshots: the first day, the day before the last, and the last day.
        foreach (var day in new[] { First, Last.AddDays(-1), Last })
        {
            _cloud.Date = day;
            var result = await new InventoryCollector().RunAsync(new CollectOptions
            {
                Credentials = AwsCredentialSource.Static(_cloud.ManagementAccessKey, _cloud.SecretFor(_cloud.ManagementAccessKey)),
                EndpointUrl = _cloud.Endpoint,
                Organization = true,
                RoleName = "inventory",
                Tables = ["aws_ec2_instances", "aws_ec2_subnets"],
                Store = _store,
                RateMultiplier = 100,
                ReportTime = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc)),
            });
            Assert.Equal(0, result.ExitCode);
            _accounts = result.Accounts;
        }
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        Directory.Delete(_store, recursive: true);
    }

    private IEnumerable<CloudInventory.Simulator.World.SimulatedWorld.Instance> WorldInstances(DateOnly day) =>
        _accounts.SelectMany(a => _cloud.World.Regions.SelectMany(r => _cloud.World.Instances(a, r, day)));

    private static List<object?[]> Rows(InventoryDatabase db, string sql)
    {
        using DbDataReader reader = db.ExecuteQuery(sql);
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    [Fact]
    public void Answers_the_instances_with_their_application_tag()
    {
        using var db = InventoryDatabase.Open(_store, TableCatalog.Default);
        var rows = Rows(db, "select instance_id, tags['Application'] from current_aws_ec2_instances order by 1");
        var expected = WorldInstances(Last).OrderBy(i => i.Id, StringComparer.Ordinal)
            .Select(i => (i.Id, (string?)_cloud.World.Tags(i.Key, i.Born, Last)["Application"])).ToList();
        Assert.Equal(expected, rows.Select(r => ((string)r[0]!, (string?)r[1])).ToList());
    }

    [Fact]
    public void Answers_the_running_instances_in_public_subnets()
    {
        using var db = InventoryDatabase.Open(_store, TableCatalog.Default);
        var rows = Rows(db, """
            select i.instance_id from current_aws_ec2_instances i
            join current_aws_ec2_subnets s using (account_id, region, subnet_id)
            where s.tags['Layer'] = 'public' and i.state.name = 'running' order by 1
            """);
        var expected = WorldInstances(Last).Where(i => i.Subnet.Layer == "public" && i.State == "running").Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, rows.Select(r => (string)r[0]!).ToList());
    }

    [Fact]
    public void Answers_instances_per_day()
    {
        using var db = InventoryDatabase.Open(_store, TableCatalog.Default);
        var rows = Rows(db, "select report_date, count(*) from daily_aws_ec2_instances group by 1 order by 1");
        var expected = new[] { First, Last.AddDays(-1), Last }.Select(d => (d, (long)WorldInstances(d).Count())).ToList();
        Assert.Equal(expected, rows.Select(r => (r[0] is DateOnly d ? d : DateOnly.FromDateTime((DateTime)r[0]!), Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture))).ToList());
    }

    [Fact]
    public void Answers_what_changed_between_two_days_with_the_changed_columns()
    {
        using var db = InventoryDatabase.Open(_store, TableCatalog.Default);
        var report = InventoryDiff.Compute(db, new DiffOptions
        {
            From = SnapshotReference.Parse(First.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Last),
            To = SnapshotReference.Parse(Last.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Last),
            TableGlob = "aws_ec2_instances",
        });
        Assert.True(report.Tables.Count == 1, $"from {report.From.RunId} {report.From.ReportDate} to {report.To.RunId} {report.To.ReportDate}; runs {string.Join(",", db.Runs.Select(r => r.ReportDate))}; tables: {report.Tables.Count}; skipped: {string.Join("; ", report.Skipped.Select(kv => kv.Key + ": " + kv.Value))}");
        var diff = report.Tables[0];
        var before = WorldInstances(First).ToDictionary(i => i.Id);
        var after = WorldInstances(Last).ToDictionary(i => i.Id);
        Assert.Equal(after.Keys.Except(before.Keys).Order(StringComparer.Ordinal), diff.Added.Select(r => r["instance_id"]!).Order(StringComparer.Ordinal));
        Assert.Equal(before.Keys.Except(after.Keys).Order(StringComparer.Ordinal), diff.Removed.Select(r => r["instance_id"]!).Order(StringComparer.Ordinal));
        // Instances whose state or type changed in the world are reported as changed, with those columns.
        foreach (var id in before.Keys.Intersect(after.Keys))
        {
            var (a, b) = (before[id], after[id]);
            if (a.State == b.State && a.Type == b.Type) continue;
            var change = Assert.Single(diff.Changed, c => c.Key["instance_id"] == id);
            if (a.Type != b.Type) Assert.Contains(change.Columns, c => c.Column == "instance_type" && c.Old == a.Type && c.New == b.Type);
            if (a.State != b.State) Assert.Contains(change.Columns, c => c.Column == "state");
        }
    }

    [Fact]
    public void Answers_the_trend_by_account_and_by_tag()
    {
        using var db = InventoryDatabase.Open(_store, TableCatalog.Default);
        var byAccount = InventoryTrend.Compute(db, new TrendOptions { TableGlob = "aws_ec2_instances", By = "account" });
        foreach (var day in new[] { First, Last.AddDays(-1), Last })
        {
            foreach (var account in _accounts)
            {
                var expected = _cloud.World.Regions.Sum(r => _cloud.World.Instances(account, r, day).Count);
                Assert.Equal(expected, byAccount.Single(p => p.Date == day && p.Group == account).Count);
            }
        }
        var byApp = InventoryTrend.Compute(db, new TrendOptions { TableGlob = "aws_ec2_instances", By = "tag:Application" });
        var apps = WorldInstances(Last).GroupBy(i => _cloud.World.Tags(i.Key, i.Born, Last)["Application"]);
        foreach (var app in apps)
        {
            Assert.Equal(app.Count(), byApp.Single(p => p.Date == Last && p.Group == app.Key).Count);
        }
    }
}
