using System.Text.Json.Nodes;
using CloudInventory.Storage;
using CloudInventory.Tests.Query;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Storage;

/// <summary>
/// Issue 16, item 9: a manifest, a folder or a file the user may not read, denied for real by the file system (the
/// commands run as an unprivileged user, see <see cref="UnprivilegedCli"/>). Every command names what it could not read
/// in one line, exits as documented, and deletes or changes nothing listed; the rest of the store stays usable.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Category", "Integration")]
public sealed class StorePermissionTests : IDisposable
{
    private const string KilledRun = "20260301T070000Z-dddddd";
    private const string Count = "SELECT count(*) AS n FROM aws_ec2_instances";
    private readonly TestStore _store = new();
    private readonly TestDirectory _home = new();
    private readonly string _run1;
    private readonly string _run2;

    public StorePermissionTests()
    {
        (_run1, _run2, _) = Build(_store);
        // A killed run's file in each of the first two days, a day old: gc's to remove, unless its partition is blocked.
        foreach (var day in new[] { Day1, Day2 }) File.WriteAllBytes(Path.Combine(_store.Root, KilledFile(day)), [1, 2, 3]);
    }

    public void Dispose()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(_store.Root, "*", SearchOption.AllDirectories).Append(_store.Root))
        {
            File.SetUnixFileMode(entry, Directory.Exists(entry) ? (UnixFileMode)Convert.ToInt32("755", 8) : (UnixFileMode)Convert.ToInt32("644", 8));
        }
        _store.Dispose();
        _home.Dispose();
    }

    private static string KilledFile(DateTime day) => $"aws/ec2/instances/report_date={day:yyyy-MM-dd}/{KilledRun.Replace("20260301", day.ToString("yyyyMMdd"), StringComparison.Ordinal)}.parquet";

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private (int Code, string Out, string Err) Cloudinv(params string[] args) => UnprivilegedCli.Run(_home.Path, args);

    private void Deny(string relativePath)
    {
        UnprivilegedCli.GiveAway(_store.Root);
        foreach (var file in Directory.EnumerateFiles(_store.Root, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-1));
        File.SetUnixFileMode(Path.Combine(_store.Root, relativePath), UnixFileMode.None);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void A_manifest_the_user_may_not_read_is_named_and_left_out_and_gc_keeps_its_partition()
    {
        var manifest = Relative(_store.Root, _store.ManifestFile(_run1, Day1));
        var before = _store.Hashes();
        Deny(manifest);

        // query: the other runs' rows, one warning naming the manifest, exit 0.
        var query = Cloudinv("query", Count, "--store", _store.Root, "--format", "csv");
        Assert.Equal(0, query.Code);
        Assert.Equal("n\n13\n", query.Out);
        var warning = Assert.Single(Lines(query.Err));
        Assert.StartsWith("warning: " + manifest + " cannot be read", warning, StringComparison.Ordinal);
        Assert.Contains("denied", warning, StringComparison.OrdinalIgnoreCase);

        // diff between the readable runs works.
        var diff = Cloudinv("diff", "--from", "2026-03-02", "--to", "2026-03-03", "--store", _store.Root, "--format", "csv");
        Assert.Equal(0, diff.Code);

        // store check: the manifest is reported, exit 3.
        var check = Cloudinv("store", "check", "--store", _store.Root, "--json");
        Assert.Equal(3, check.Code);
        Assert.Contains(JsonNode.Parse(check.Out)!["problems"]!.AsArray(), f => (string)f!["path"]! == manifest && (string)f["kind"]! == "unreadable_manifest");

        // store gc: that day's partition is left alone (exit 3); the other day's orphan goes.
        var gc = Cloudinv("store", "gc", "--store", _store.Root, "--format", "table");
        Assert.Equal(3, gc.Code);
        Assert.Contains($"warning: {manifest} cannot be read", gc.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gc.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_store.Root, KilledFile(Day1))));
        Assert.False(File.Exists(Path.Combine(_store.Root, KilledFile(Day2))));
        File.SetUnixFileMode(Path.Combine(_store.Root, manifest), (UnixFileMode)Convert.ToInt32("644", 8));
        Assert.Equal(before.Where(h => !h.Key.Contains("T070000Z", StringComparison.Ordinal)), _store.Hashes().Where(h => !h.Key.Contains("T070000Z", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_folder_the_user_may_not_read_is_named_and_nothing_in_it_is_deleted()
    {
        var folder = "aws/ec2/instances/report_date=2026-03-02";
        var listed = $"{folder}/{_run2}.parquet";
        Deny(folder);

        var query = Cloudinv("query", Count, "--store", _store.Root, "--format", "csv");
        Assert.Equal(0, query.Code);
        Assert.Equal("n\n13\n", query.Out);
        var warning = Assert.Single(Lines(query.Err));
        Assert.StartsWith($"warning: aws_ec2_instances file {listed} cannot be read", warning, StringComparison.Ordinal);

        var check = Cloudinv("store", "check", "--store", _store.Root, "--json");
        Assert.Equal(3, check.Code);
        var findings = JsonNode.Parse(check.Out)!["problems"]!.AsArray();
        Assert.Contains(findings, f => (string)f!["path"]! == folder && (string)f["kind"]! == "unreadable_folder");

        var gc = Cloudinv("store", "gc", "--store", _store.Root, "--format", "table");
        Assert.Equal(3, gc.Code);
        Assert.Contains(folder, gc.Err, StringComparison.Ordinal);
        File.SetUnixFileMode(Path.Combine(_store.Root, folder), (UnixFileMode)Convert.ToInt32("755", 8));
        Assert.True(File.Exists(Path.Combine(_store.Root, listed)));
        Assert.True(File.Exists(Path.Combine(_store.Root, KilledFile(Day2))));
        Assert.False(File.Exists(Path.Combine(_store.Root, KilledFile(Day1))));
    }

    [Fact]
    public void A_listed_file_the_user_may_not_read_is_left_out_with_a_warning_naming_it()
    {
        var listed = $"aws/ec2/instances/report_date=2026-03-02/{_run2}.parquet";
        Deny(listed);

        var query = Cloudinv("query", Count, "--store", _store.Root, "--format", "csv");
        Assert.Equal(0, query.Code);
        Assert.Equal("n\n13\n", query.Out);
        Assert.StartsWith($"warning: aws_ec2_instances file {listed} cannot be read", Assert.Single(Lines(query.Err)), StringComparison.Ordinal);

        var check = Cloudinv("store", "check", "--store", _store.Root, "--json");
        Assert.Equal(3, check.Code);
        Assert.Contains(listed, check.Out, StringComparison.Ordinal);
    }
}
