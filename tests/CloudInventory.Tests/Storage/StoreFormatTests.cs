using System.CommandLine;
using CloudInventory.Cli;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Storage;

/// <summary>
/// The store-format compatibility rule: every older store is read (Fixtures/store-format-1 was written by
/// cloudinv 0.1.0, before manifests carried <c>format_version</c>), a newer one is refused with one line and exit 2.
/// </summary>
public sealed class StoreFormatTests : IDisposable
{
    private const string FixtureManifest = "_runs/report_date=2026-12-02/20261202T045600Z-0f0f0f.json";
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture => Path.Combine(RepositoryRoot.Path, "tests", "CloudInventory.Tests", "Storage", "Fixtures", "store-format-1");

    private string CopyOfFixture()
    {
        var target = _dir.Combine("store");
        foreach (var file in Directory.EnumerateFiles(Fixture, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return target;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void The_fixture_manifest_has_no_format_version_and_reads_as_format_1()
    {
        var json = File.ReadAllText(Path.Combine(Fixture, FixtureManifest));
        Assert.DoesNotContain("format_version", json, StringComparison.Ordinal);

        var manifest = RunManifest.FromJson(json);

        Assert.Equal(StoreFormat.Unversioned, manifest.FormatVersion);
        Assert.Equal("0.1.0", manifest.ToolVersion);
        Assert.Equal(2, manifest.Files.Count);
    }

    [Fact]
    public void A_new_manifest_is_written_in_the_current_format()
    {
        var json = RunManifestTests.Sample().ToJson();

        Assert.StartsWith("{\n  \"format_version\": 1,", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(StoreFormat.Current, RunManifest.FromJson(json).FormatVersion);
    }

    [Fact]
    public async Task The_store_of_the_previous_format_is_queried_by_this_version()
    {
        var store = CopyOfFixture();

        var (code, output, error) = await RunAsync("query", "select count(*) as instances from aws_ec2_instances", "--store", store, "--format", "csv");

        Assert.True(code == 0, error);
        Assert.Matches("(?m)^instances\r?\n3\r?$", output);
        (code, output, error) = await RunAsync("query", "select count(*) as buckets from aws_s3_buckets", "--store", store, "--format", "csv");
        Assert.True(code == 0, error);
        Assert.Matches("(?m)^buckets\r?\n1\r?$", output);
    }

    [Fact]
    public void A_manifest_of_a_newer_format_is_refused_saying_to_upgrade()
    {
        var json = RunManifestTests.Sample().ToJson().Replace("\"format_version\": 1", "\"format_version\": 999", StringComparison.Ordinal);

        var e = Assert.Throws<InventoryStoreException>(() => RunManifest.FromJson(json));

        Assert.Contains("store format 999", e.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade cloudinv", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("\"1\"")]
    [InlineData("1.5")]
    public void A_format_version_that_is_not_a_positive_integer_is_refused(string value)
    {
        var json = RunManifestTests.Sample().ToJson().Replace("\"format_version\": 1", "\"format_version\": " + value, StringComparison.Ordinal);

        Assert.Throws<InventoryStoreException>(() => RunManifest.FromJson(json));
    }

    [Fact]
    public async Task A_store_with_a_newer_format_is_refused_with_one_line_and_exit_2()
    {
        var store = CopyOfFixture();
        var manifest = Path.Combine(store, FixtureManifest);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("{\n  \"run_id\"", "{\n  \"format_version\": 999,\n  \"run_id\"", StringComparison.Ordinal));
        Assert.Contains("\"format_version\": 999", File.ReadAllText(manifest), StringComparison.Ordinal);

        var (code, output, error) = await RunAsync("query", "select count(*) from aws_ec2_instances", "--store", store);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("store format 999", line, StringComparison.Ordinal);
        Assert.Contains("upgrade cloudinv", line, StringComparison.Ordinal);
    }
}
