using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Query;
using CloudInventory.Storage;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

/// <summary>Issue 16 on the query side: what is listed is exactly what is read; damage is contained and named.</summary>
public sealed partial class InventoryDatabaseTests
{
    private InventoryDatabase OpenWithWarnings(List<string> warnings) =>
        InventoryDatabase.Open(_store.Root, TestStore.Catalog, new InventoryDatabaseOptions { Warning = warnings.Add });

    private string InstancesFile(DateTime day, string runId) =>
        $"aws/ec2/instances/report_date={day:yyyy-MM-dd}/{runId}.parquet";

    private static string Counts(InventoryDatabase db) =>
        string.Join(" ", Rows(db, "SELECT strftime(report_date, '%Y-%m-%d'), count(*) FROM aws_ec2_instances GROUP BY 1 ORDER BY 1").Select(r => r[0] + "=" + r[1]));

    [Fact]
    public void A_flipped_bit_excludes_that_file_with_a_warning_naming_it_and_the_rest_stays_queryable()
    {
        var (run1, _, _) = Build(_store);
        string SubnetsOfDay1(InventoryDatabase db) => Rows(db, $"SELECT count(*) FROM aws_ec2_subnets WHERE report_date = DATE '{Day1:yyyy-MM-dd}'")[0][0];
        string subnets;
        using (var pristine = Open()) subnets = SubnetsOfDay1(pristine);
        var path = InstancesFile(Day1, run1);
        var full = Path.Combine(_store.Root, path);
        var bytes = File.ReadAllBytes(full);
        bytes[bytes.Length / 2] ^= 0x04;
        File.WriteAllBytes(full, bytes);

        var warnings = new List<string>();
        using var db = OpenWithWarnings(warnings);

        Assert.Equal("2026-03-02=6 2026-03-03=7", Counts(db));
        var warning = Assert.Single(warnings);
        Assert.Contains(path, warning, StringComparison.Ordinal);
        Assert.Contains("SHA-256", warning, StringComparison.Ordinal);
        // The other tables of that day are untouched.
        Assert.Equal(subnets, SubnetsOfDay1(db));
        Assert.NotEqual("0", subnets);
    }

    [Fact]
    public void A_missing_or_truncated_file_excludes_only_that_file()
    {
        var (run1, run2, _) = Build(_store);
        File.Delete(Path.Combine(_store.Root, InstancesFile(Day1, run1)));
        using (var stream = new FileStream(Path.Combine(_store.Root, InstancesFile(Day2, run2)), FileMode.Open)) stream.SetLength(stream.Length - 7);

        var warnings = new List<string>();
        using var db = OpenWithWarnings(warnings);

        Assert.Equal("2026-03-03=7", Counts(db));
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains(InstancesFile(Day1, run1) + " is missing", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains(InstancesFile(Day2, run2), StringComparison.Ordinal) && w.Contains("bytes", StringComparison.Ordinal));
        Assert.Equal("7", Rows(db, "SELECT count(*) FROM current_aws_ec2_instances")[0][0]);
    }

    [Fact]
    public void One_unreadable_manifest_is_left_out_with_a_warning_and_every_other_run_stays_queryable()
    {
        var (run1, _, _) = Build(_store);
        File.WriteAllText(_store.ManifestFile(run1, Day1), "{ this is not json");

        var warnings = new List<string>();
        using var db = OpenWithWarnings(warnings);

        Assert.Equal("2026-03-02=6 2026-03-03=7", Counts(db));
        Assert.Contains(warnings, w => w.Contains(run1 + ".json cannot be read", StringComparison.Ordinal));
        Assert.Equal(2, db.Runs.Count);
    }

    [Fact]
    public void A_manifest_with_a_path_that_is_not_normalised_is_not_half_used()
    {
        var (run1, _, _) = Build(_store);
        var manifestFile = _store.ManifestFile(run1, Day1);
        var json = JsonNode.Parse(File.ReadAllText(manifestFile))!;
        var file = json["files"]!.AsArray().First(f => (string)f!["table"]! == "aws_ec2_instances")!;
        file["path"] = "./aws/ec2/instances/../instances/" + ((string)file["path"]!)["aws/ec2/instances/".Length..];
        File.WriteAllText(manifestFile, json.ToJsonString());

        var warnings = new List<string>();
        using var db = OpenWithWarnings(warnings);

        // The whole manifest is left out (its subnets too), never read in part.
        Assert.Equal("2026-03-02=6 2026-03-03=7", Counts(db));
        Assert.Equal("0", Rows(db, $"SELECT count(*) FROM aws_ec2_subnets WHERE report_date = DATE '{Day1:yyyy-MM-dd}'")[0][0]);
        Assert.Contains(warnings, w => w.Contains("not a normalised path", StringComparison.Ordinal));
    }

    [Fact]
    public void Reusing_a_run_id_with_another_shard_layout_or_copying_a_manifest_elsewhere_never_counts_twice()
    {
        var time = new DateTime(2026, 3, 5, 6, 0, 0, DateTimeKind.Utc);
        string Select(int from, int count) =>
            $"SELECT 'i-' || i AS instance_id, '{A}' AS account_id, 'eu-west-1' AS region, TIMESTAMPTZ '2026-03-05 06:00:00+00' AS report_time FROM range({from}, {from + count}) t(i)";
        _store.AddRun(time, r => r.Table("aws_ec2_instances", Select(0, 20)), shard: "1/2", suffix: "abcdef");
        _store.AddRun(time, r => r.Table("aws_ec2_instances", Select(20, 14)), shard: "2/2", suffix: "abcdef");
        // The same run id again as shard 1/3: a second layout (the first published, by finish time then path, is kept).
        _store.AddRun(time, r => r.Table("aws_ec2_instances", Select(0, 12)), shard: "1/3", suffix: "abcdef");
        var runId = "20260305T060000Z-abcdef";
        // A copy of a shard manifest in another (even absurd) partition.
        var copyDir = Path.Combine(_store.Root, "_runs", "report_date=9999-12-31");
        Directory.CreateDirectory(copyDir);
        File.Copy(Path.Combine(_store.Root, "_runs", "report_date=2026-03-05", runId + "-1of2.json"), Path.Combine(copyDir, runId + "-1of2.json"));

        var warnings = new List<string>();
        using var db = OpenWithWarnings(warnings);

        Assert.Equal("34", Rows(db, "SELECT count(*) FROM current_aws_ec2_instances")[0][0]);
        Assert.Equal("34", Rows(db, "SELECT count(*) FROM aws_ec2_instances")[0][0]);
        Assert.Contains(warnings, w => w.Contains("report_date=9999-12-31", StringComparison.Ordinal) && w.Contains("whose manifest is", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains(runId + "-1of3.json", StringComparison.Ordinal) && w.Contains("2 shards", StringComparison.Ordinal));
    }

    [Fact]
    public void A_manifest_listing_a_file_through_a_symbolic_link_does_not_read_it()
    {
        var (run1, _, _) = Build(_store);
        // An alias folder inside the store, and a manifest that names the file through it.
        Directory.CreateSymbolicLink(Path.Combine(_store.Root, "aws", "ec2", "instances_old"), "instances");
        Directory.CreateSymbolicLink(Path.Combine(_store.Root, "aws", "ec2x"), Path.GetTempPath());
        var real = InstancesFile(Day1, run1);
        File.Move(Path.Combine(_store.Root, real), Path.Combine(_store.Root, real + ".moved"));
        File.CreateSymbolicLink(Path.Combine(_store.Root, real), Path.Combine(_store.Root, real + ".moved"));

        var warnings = new List<string>();
        using var db = OpenWithWarnings(warnings);

        Assert.Equal("2026-03-02=6 2026-03-03=7", Counts(db));
        Assert.Contains(warnings, w => w.Contains(real, StringComparison.Ordinal) && w.Contains("symbolic link", StringComparison.Ordinal));
    }

    [Fact]
    public void The_database_reads_nothing_but_the_store_and_its_own_private_temporary_folder()
    {
        Build(_store);
        using var db = Open();
        var temp = db.TemporaryDirectory;
        Assert.StartsWith(Path.GetTempPath(), temp, StringComparison.Ordinal);
        Assert.NotEqual(Path.Combine(Path.GetTempPath(), "cloudinv-duckdb"), temp);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(temp));
        using var other = Open();
        Assert.NotEqual(temp, other.TemporaryDirectory);
        var e = Assert.Throws<InventoryQueryException>(() => Rows(db, "SELECT * FROM read_text('/etc/hostname')"));
        Assert.Contains("/etc/hostname", e.Message, StringComparison.Ordinal);
        db.Dispose();
        Assert.False(Directory.Exists(temp));
    }

    [Fact]
    public void Query_out_in_any_format_never_lands_in_the_store_even_through_a_link()
    {
        var (run1, _, _) = Build(_store);
        var manifest = _store.ManifestFile(run1, Day1);
        var before = File.ReadAllText(manifest);
        var outside = Directory.CreateTempSubdirectory("cloudinv-out-").FullName;
        try
        {
            var link = Path.Combine(outside, "into-store");
            Directory.CreateSymbolicLink(link, Path.Combine(_store.Root, "_runs"));
            foreach (var (format, target) in new[]
            {
                ("csv", manifest),
                ("json", Path.Combine(link, $"report_date={Day1:yyyy-MM-dd}", run1 + ".json")),
                ("parquet", Path.Combine(_store.Root, "x.parquet")),
                ("table", Path.Combine(_store.Root, "aws", "..", "_runs", "y.txt")),
            })
            {
                var (code, _, err) = CliRunner.Run("query", "select 1", "--store", _store.Root, "--format", format, "--out", target);
                Assert.Equal(2, code);
                Assert.Contains("is inside the store", err, StringComparison.Ordinal);
            }
            Assert.Equal(before, File.ReadAllText(manifest));
            Assert.False(File.Exists(Path.Combine(_store.Root, "x.parquet")));
            var ok = CliRunner.Run("query", "select 1 AS one", "--store", _store.Root, "--format", "csv", "--out", Path.Combine(outside, "result.csv"));
            Assert.Equal(0, ok.Code);
            Assert.Contains("one", File.ReadAllText(Path.Combine(outside, "result.csv")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Files_are_hashed_once_and_again_only_when_they_change()
    {
        var (run1, _, _) = Build(_store);
        var hashes = Directory.CreateTempSubdirectory("cloudinv-hashes-").FullName;
        try
        {
            InventoryDatabase OpenCached() => InventoryDatabase.Open(_store.Root, TestStore.Catalog, new InventoryDatabaseOptions { HashCacheDirectory = hashes });
            using (var first = OpenCached())
            {
                Counts(first);
                Assert.Equal(3, first.FilesHashed);
            }
            using (var second = OpenCached())
            {
                Counts(second);
                Assert.Equal(0, second.FilesHashed);
            }
            // Same size, same modification time, other content: the inode and change time tell.
            var full = Path.Combine(_store.Root, InstancesFile(Day1, run1));
            var time = File.GetLastWriteTimeUtc(full);
            var bytes = File.ReadAllBytes(full);
            bytes[bytes.Length / 3] ^= 0x10;
            File.WriteAllBytes(full + ".new", bytes);
            File.Move(full + ".new", full, overwrite: true);
            File.SetLastWriteTimeUtc(full, time);
            var warnings = new List<string>();
            using var third = InventoryDatabase.Open(_store.Root, TestStore.Catalog, new InventoryDatabaseOptions { HashCacheDirectory = hashes, Warning = warnings.Add });
            Assert.Equal("2026-03-02=6 2026-03-03=7", Counts(third));
            Assert.Equal(1, third.FilesHashed);
            Assert.Single(warnings);
        }
        finally
        {
            Directory.Delete(hashes, recursive: true);
        }
    }
}
