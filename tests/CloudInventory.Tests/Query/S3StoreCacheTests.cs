using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CloudInventory.Query;
using CloudInventory.Storage;
using CloudInventory.Tests.Storage;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

[Trait("Category", "Integration")]
public sealed partial class S3StoreCacheTests(S3rverFixture s3rver) : IClassFixture<S3rverFixture>, IDisposable
{
    private static readonly DateOnly Today = new(2026, 3, 10);
    private readonly TestStore _local = new();
    private readonly string _cacheBase = Path.Combine(Path.GetTempPath(), "cloudinv-cache-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _prefix = "stores/" + Guid.NewGuid().ToString("N")[..8];

    private string Location => $"s3://{S3rverFixture.Bucket}/{_prefix}";

    public void Dispose()
    {
        _local.Dispose();
        if (Directory.Exists(_cacheBase)) Directory.Delete(_cacheBase, recursive: true);
    }

    [Fact]
    public async Task Queries_over_s3_equal_the_local_store_and_download_only_the_tables_they_mention_each_file_once()
    {
        await UploadSampleAsync();
        string[] queries =
        [
            "SELECT instance_id, account_id, state.name, tags['Application'] AS app FROM current_aws_ec2_instances ORDER BY instance_id",
            "SELECT report_date, count(*) FROM aws_ec2_instances GROUP BY 1 ORDER BY 1",
            "SELECT run_id, status, \"rows\" FROM cloudinv_runs ORDER BY 1",
            "SELECT run_id, table_name, error_code FROM cloudinv_errors ORDER BY 1",
        ];
        using (var local = InventoryDatabase.Open(_local.Root, TestStore.Catalog))
        using (var s3 = OpenS3())
        {
            Assert.Equal(3, s3.Cache!.DownloadedFiles); // the three manifests, on opening
            foreach (var sql in queries) Assert.Equal(Rows(local, sql), Rows(s3, sql));
            // Three instance files (one per run) and the one errors file; no subnet file, as no query names subnets.
            Assert.Equal(3 + 3 + 1, s3.Cache.DownloadedFiles);
            Assert.DoesNotContain(Directory.EnumerateFiles(s3.StoreRoot, "*", SearchOption.AllDirectories), f => f.Contains("subnets", StringComparison.Ordinal));
            foreach (var sql in queries) Rows(s3, sql);
            Assert.Equal(7, s3.Cache.DownloadedFiles);
        }
        using (var again = OpenS3())
        {
            foreach (var sql in queries) Rows(again, sql);
            Assert.Equal(0, again.Cache!.DownloadedFiles);
            Assert.Equal(Rows(again, "SELECT count(*) FROM aws_ec2_subnets"), [["12"]]);
            Assert.Equal(3, again.Cache.DownloadedFiles);
        }
    }

    [Fact]
    public async Task A_query_of_the_current_snapshot_downloads_only_the_latest_run_file()
    {
        await UploadSampleAsync();
        using var local = InventoryDatabase.Open(_local.Root, TestStore.Catalog);
        using var s3 = OpenS3();
        const string sql = "SELECT instance_id, tags['Application'] FROM current_aws_ec2_instances ORDER BY 1";
        Assert.Equal(Rows(local, sql), Rows(s3, sql));
        Assert.Equal(3 + 1, s3.Cache!.DownloadedFiles);
        Assert.True(File.Exists(Path.Combine(s3.StoreRoot, Path.GetRelativePath(_local.Root, InstanceFile(Day3)))));
    }

    [Fact]
    public async Task A_diff_downloads_only_the_two_snapshots_and_equals_the_local_diff()
    {
        await UploadSampleAsync();
        var options = new DiffOptions { From = SnapshotReference.Parse("2026-03-01", Today), To = SnapshotReference.Parse("2026-03-03", Today), TableGlob = "aws_ec2_instances" };
        using var local = InventoryDatabase.Open(_local.Root, TestStore.Catalog);
        using var s3 = OpenS3();
        var expected = InventoryDiff.Compute(local, options).Tables.Single();
        var actual = InventoryDiff.Compute(s3, options).Tables.Single();
        Assert.Equal((expected.AddedCount, expected.RemovedCount, expected.ChangedCount), (actual.AddedCount, actual.RemovedCount, actual.ChangedCount));
        Assert.Equal(JsonSerializer.Serialize(expected.Changed), JsonSerializer.Serialize(actual.Changed));
        Assert.Equal(3 + 2, s3.Cache!.DownloadedFiles);
        Assert.False(File.Exists(Path.Combine(s3.StoreRoot, "aws", "ec2", "instances", "report_date=2026-03-02", Path.GetFileName(InstanceFile(Day2)))));
    }

    [Fact]
    public async Task A_trend_downloads_only_the_days_of_its_range_and_equals_the_local_trend()
    {
        await UploadSampleAsync();
        var options = new TrendOptions { TableGlob = "aws_ec2_instances", By = "account", Since = new DateOnly(2026, 3, 2) };
        using var local = InventoryDatabase.Open(_local.Root, TestStore.Catalog);
        using var s3 = OpenS3();
        Assert.Equal(InventoryTrend.Compute(local, options), InventoryTrend.Compute(s3, options));
        Assert.Equal(3 + 2, s3.Cache!.DownloadedFiles);
        Assert.False(Directory.Exists(Path.Combine(s3.StoreRoot, "aws", "ec2", "instances", "report_date=2026-03-01")));
    }

    [Fact]
    public async Task A_cached_file_that_does_not_match_its_manifest_is_downloaded_again()
    {
        await UploadSampleAsync();
        using (var s3 = OpenS3()) Rows(s3, "SELECT count(*) FROM aws_ec2_instances");
        var cached = Directory.EnumerateFiles(Path.Combine(CacheRoot(), "aws", "ec2", "instances"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.WriteAllText(cached, "truncated");
        using (var s3 = OpenS3())
        {
            Assert.Equal(Rows(s3, "SELECT count(*) FROM aws_ec2_instances"), [["19"]]);
            Assert.Equal(1, s3.Cache!.DownloadedFiles);
        }
        Assert.Equal(SampleFileSha(cached), S3StoreUpload.Sha256(cached));
    }

    [Fact]
    public async Task The_cli_reads_endpoint_and_credentials_from_the_environment_and_a_second_query_downloads_nothing()
    {
        await UploadSampleAsync();
        const string sql = "SELECT instance_id, state.name AS state, tags FROM aws_ec2_instances ORDER BY report_date, instance_id";
        var expected = CliRunner.Run("query", sql, "--store", _local.Root, "--format", "csv");
        Assert.Equal(0, expected.Code);
        var first = Cloudinv(Environment(), "query", sql, "--store", Location, "--format", "csv");
        Assert.Equal((0, expected.Out), (first.Code, first.Out));
        var files = Directory.EnumerateFiles(CacheRoot(), "*.parquet", SearchOption.AllDirectories).ToArray();
        Assert.Equal(3, files.Length);
        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var f in files) File.SetLastWriteTimeUtc(f, old);
        var second = Cloudinv(Environment(), "query", sql, "--store", Location, "--format", "csv");
        Assert.Equal((0, expected.Out), (second.Code, second.Out));
        Assert.All(files, f => Assert.Equal(old, File.GetLastWriteTimeUtc(f)));
        var trend = Cloudinv(Environment(), "trend", "--store", Location, "--since", "2026-03-01", "--format", "csv", "--table", "aws_ec2_instances");
        Assert.Equal(CliRunner.Run("trend", "--store", _local.Root, "--since", "2026-03-01", "--format", "csv", "--table", "aws_ec2_instances").Out, trend.Out);
    }

    [Fact]
    public async Task Prune_removes_files_no_manifest_lists_and_with_older_than_those_unused_since()
    {
        await UploadSampleAsync();
        using (var s3 = OpenS3()) Rows(s3, "SELECT count(*) FROM aws_ec2_instances UNION ALL SELECT count(*) FROM aws_ec2_subnets");
        var root = CacheRoot();
        // The store drops the first run; a stray file and an interrupted download sit in the cache.
        using (var store = new S3InventoryStore(s3rver.Options(_prefix)))
        {
            var manifest = Path.GetRelativePath(_local.Root, Directory.EnumerateFiles(Path.Combine(_local.Root, "_runs", "report_date=2026-03-01")).Single()).Replace('\\', '/');
            await store.Client.DeleteObjectAsync(S3rverFixture.Bucket, store.KeyOf(manifest));
        }
        File.WriteAllText(Path.Combine(root, "aws", "ec2", "instances", "stray.parquet"), "x");
        File.WriteAllText(Path.Combine(root, "aws", "ec2", "instances", "report_date=2026-03-02", "a.parquet.tmp-0badf00d"), "xy");

        var pruned = Cloudinv(Environment(), "cache", "prune", "--store", Location);
        Assert.Equal(0, pruned.Code);
        var removed = Lines(pruned.Out);
        Assert.Equal(5, removed.Length - 1);
        Assert.Contains(removed, l => l.StartsWith($"removed {Location}/aws/ec2/instances/report_date=2026-03-01/", StringComparison.Ordinal));
        Assert.Contains(removed, l => l.StartsWith($"removed {Location}/aws/ec2/subnets/report_date=2026-03-01/", StringComparison.Ordinal));
        Assert.Contains($"removed {Location}/aws/ec2/instances/stray.parquet (1 bytes)", removed);
        Assert.Contains($"removed {Location}/aws/ec2/instances/report_date=2026-03-02/a.parquet.tmp-0badf00d (2 bytes)", removed);
        Assert.Contains(removed, l => l.StartsWith($"removed {Location}/_runs/report_date=2026-03-01/", StringComparison.Ordinal));
        Assert.StartsWith("5 files removed, ", removed[^1], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "aws", "ec2", "instances", "report_date=2026-03-01")));
        Assert.Equal(4, Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories).Count());

        // Files last used before the cutoff go too; manifests stay.
        var subnets = Directory.EnumerateFiles(Path.Combine(root, "aws", "ec2", "subnets"), "*.parquet", SearchOption.AllDirectories).ToArray();
        foreach (var f in subnets) File.SetLastAccessTimeUtc(f, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var old = Cloudinv(Environment(), "cache", "prune", "--older-than", "30d");
        Assert.Equal(0, old.Code);
        Assert.Equal(2, Lines(old.Out).Length - 1);
        Assert.All(subnets, f => Assert.False(File.Exists(f)));
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(root, "_runs"), "*.json", SearchOption.AllDirectories).Count());

        var all = Cloudinv(Environment(), "cache", "prune", "--all");
        Assert.Equal(0, all.Code);
        Assert.Equal(4, Lines(all.Out).Length - 1);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task Prune_never_deletes_listed_files_through_an_alias_folder_inside_the_cache()
    {
        await UploadSampleAsync();
        using (var s3 = OpenS3()) Rows(s3, "SELECT count(*) FROM aws_ec2_instances UNION ALL SELECT count(*) FROM aws_ec2_subnets");
        var root = CacheRoot();
        var listed = Directory.EnumerateFiles(Path.Combine(root, "aws", "ec2", "instances"), "*.parquet", SearchOption.AllDirectories).ToArray();
        Assert.NotEmpty(listed);
        // Another name for a listed folder: its files are unlisted under that name, but they are the listed files themselves.
        Directory.CreateSymbolicLink(Path.Combine(root, "aws", "ec2", "instances_old"), Path.Combine(root, "aws", "ec2", "instances"));

        var pruned = Cloudinv(Environment(), "cache", "prune", "--store", Location);

        Assert.Equal(0, pruned.Code);
        Assert.DoesNotContain("instances_old", pruned.Out, StringComparison.Ordinal);
        Assert.All(listed, f => Assert.True(File.Exists(f), $"{f} was deleted"));
        using var again = OpenS3();
        Assert.NotEmpty(Rows(again, "SELECT count(*) FROM aws_ec2_instances"));
    }

    [Fact]
    public void Prune_never_follows_a_link_out_of_the_cache()
    {
        var root = Path.Combine(_cacheBase, "some-bucket", "0123456789abcdef");
        Directory.CreateDirectory(Path.Combine(root, "aws", "ec2"));
        var outside = Directory.CreateTempSubdirectory("cloudinv-outside-").FullName;
        try
        {
            var victim = Path.Combine(outside, "report_date=2026-03-01", "20260301T060000Z-a1b2c3.parquet");
            Directory.CreateDirectory(Path.GetDirectoryName(victim)!);
            File.WriteAllText(victim, "not the cache's");
            Directory.CreateSymbolicLink(Path.Combine(root, "aws", "ec2", "instances"), outside);
            Directory.CreateSymbolicLink(Path.Combine(_cacheBase, "linked-bucket"), outside);

            var removed = S3StoreCache.Prune(root, everything: true);
            var all = Cloudinv(Environment(), "cache", "prune", "--all");

            Assert.Equal(0, all.Code);
            Assert.Empty(removed);
            Assert.True(File.Exists(victim));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_bucket_or_missing_credentials_give_one_clear_line_and_exit_2()
    {
        await UploadSampleAsync();
        var bucket = Cloudinv(Environment(), "query", "SELECT 1", "--store", "s3://no-such-bucket-here/x");
        Assert.Equal(2, bucket.Code);
        Assert.Equal("", bucket.Out);
        var line = Assert.Single(Lines(bucket.Err));
        Assert.Contains("s3://no-such-bucket-here/x", line, StringComparison.Ordinal);
        Assert.Contains("NoSuchBucket", line, StringComparison.Ordinal);

        var env = Environment();
        env.Remove("AWS_ACCESS_KEY_ID");
        env.Remove("AWS_SECRET_ACCESS_KEY");
        var credentials = Cloudinv(env, "diff", "--from", "2026-03-01", "--to", "2026-03-03", "--store", Location);
        Assert.Equal(2, credentials.Code);
        line = Assert.Single(Lines(credentials.Err));
        Assert.Contains(Location, line, StringComparison.Ordinal);
        Assert.Contains("credentials", line, StringComparison.OrdinalIgnoreCase);
    }

    private async Task UploadSampleAsync()
    {
        Build(_local);
        using var store = new S3InventoryStore(s3rver.Options(_prefix));
        await S3StoreUpload.UploadAsync(_local, store);
    }

    private InventoryDatabase OpenS3(Action<string>? warning = null) =>
        InventoryDatabase.Open(Location, TestStore.Catalog, new InventoryDatabaseOptions { S3 = s3rver.Options(_prefix), CacheDirectory = _cacheBase, Warning = warning });

    private string CacheRoot() => S3StoreCache.DirectoryFor(_cacheBase, InventoryStores.S3Options(Location));

    private string InstanceFile(DateTime day) =>
        Directory.EnumerateFiles(Path.Combine(_local.Root, "aws", "ec2", "instances", "report_date=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "*.parquet").Single();

    private string SampleFileSha(string cachedFile) =>
        S3StoreUpload.Sha256(Path.Combine(_local.Root, Path.GetRelativePath(CacheRoot(), cachedFile)));

    private static List<List<string>> Rows(InventoryDatabase db, string sql)
    {
        using DbDataReader reader = db.ExecuteQuery(sql);
        var rows = new List<List<string>>();
        while (reader.Read())
        {
            var row = new List<string>();
            for (var i = 0; i < reader.FieldCount; i++) row.Add(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "");
            rows.Add(row);
        }
        return rows;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>The environment of a cloudinv process that reaches s3rver only through the documented variables.</summary>
    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_S3"] = s3rver.ServiceUrl,
        ["AWS_ACCESS_KEY_ID"] = "S3RVER",
        ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
        ["AWS_REGION"] = "us-east-1",
        ["CLOUDINV_CACHE_DIR"] = _cacheBase,
    };

    /// <summary>Runs the built cloudinv in a child process whose AWS environment is exactly <paramref name="environment"/>.</summary>
    private static (int Code, string Out, string Err) Cloudinv(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cloudinv.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k == S3StoreCache.CacheDirectoryVariable).ToArray())
        {
            start.Environment.Remove(name);
        }
        var home = Path.Combine(Path.GetTempPath(), "cloudinv-home-empty");
        Directory.CreateDirectory(home);
        start.Environment["HOME"] = home;
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(home, "no-config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, "no-credentials");
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result.ReplaceLineEndings("\n"), error.Result.ReplaceLineEndings("\n"));
    }
}
