using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Cli;
using CloudInventory.Cli.Commands;
using CloudInventory.Storage;
using CloudInventory.Tests.Storage;
using Gc = CloudInventory.Tests.Storage.StoreGarbageCollectorTests;

namespace CloudInventory.Tests.Cli.Commands;

public sealed class StoreCommandTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly LocalInventoryStore _store;

    public StoreCommandTests() => _store = new LocalInventoryStore(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The runs of <see cref="Gc.PublishRunsAsync"/>: the killed run's files two days old, the running run's ten minutes.</summary>
    private async Task ArrangeAsync()
    {
        await Gc.PublishRunsAsync(_store);
        await File.WriteAllTextAsync(_dir.Combine("README.md"), "mine");
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-2));
        }
        File.SetLastWriteTimeUtc(_store.FullPath(Gc.DataFile(Gc.RunningRun)), DateTime.UtcNow.AddMinutes(-10));
    }

    [Fact]
    public async Task Gc_removes_a_killed_runs_files_and_says_what_it_removed_per_kind()
    {
        await ArrangeAsync();

        var (code, output, error) = await RunAsync("store", "gc", "--store", _dir.Path, "--format", "table");

        Assert.True(code == 0, error + output);
        Assert.Contains($"removed {Gc.DataFile(Gc.KilledRun)} (100 bytes)", output, StringComparison.Ordinal);
        Assert.Contains($"removed {Gc.ErrorsFile(Gc.KilledRun)} (20 bytes)", output, StringComparison.Ordinal);
        Assert.Contains("removed 2 orphan files (120 bytes) older than 6h and 0 stale uploads", output, StringComparison.Ordinal);
        Assert.Contains("Kept 1 unlisted file (7 bytes) younger than 6h", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_store.FullPath(Gc.DataFile(Gc.KilledRun))));
        Assert.True(File.Exists(_store.FullPath(Gc.DataFile(Gc.RunningRun))));
        Assert.True(File.Exists(_store.FullPath(Gc.DataFile(Gc.ListedRun))));
        Assert.True(File.Exists(_dir.Combine("README.md")));
    }

    [Fact]
    public async Task Gc_dry_run_as_json_lists_what_would_go_and_removes_nothing()
    {
        await ArrangeAsync();

        var (code, output, error) = await RunAsync("store", "gc", "--store", _dir.Path, "--older-than", "5min", "--dry-run", "--json");

        Assert.True(code == 0, error + output);
        var json = JsonNode.Parse(output)!;
        Assert.True(json["dry_run"]!.GetValue<bool>());
        Assert.Equal(300, json["older_than_seconds"]!.GetValue<long>());
        Assert.Equal(3, json["orphan_files"]!["count"]!.GetValue<int>());
        Assert.Equal(127, json["orphan_files"]!["bytes"]!.GetValue<long>());
        Assert.Null(json["stale_uploads"]);
        Assert.Equal(0, json["exit_code"]!.GetValue<int>());
        Assert.True(File.Exists(_store.FullPath(Gc.DataFile(Gc.KilledRun))));
        Assert.True(File.Exists(_store.FullPath(Gc.DataFile(Gc.RunningRun))));
    }

    [Fact]
    public async Task Gc_leaves_a_partition_with_an_unreadable_manifest_alone_and_exits_3()
    {
        await ArrangeAsync();
        await _store.PublishAsync(StoreLayout.ManifestPath(Gc.Day, "20261125T080000Z-dddddd"), Encoding.UTF8.GetBytes("not json"));

        var (code, output, error) = await RunAsync("store", "gc", "--store", _dir.Path, "--format", "table");

        Assert.Equal(3, code);
        Assert.Contains("removed 0 orphan files", output, StringComparison.Ordinal);
        Assert.Contains("warning: _runs/report_date=2026-11-25/20261125T080000Z-dddddd.json cannot be read", error, StringComparison.Ordinal);
        Assert.Contains("nothing unlisted in report_date=2026-11-25 was removed", error, StringComparison.Ordinal);
        Assert.True(File.Exists(_store.FullPath(Gc.DataFile(Gc.KilledRun))));
    }

    [Theory]
    [InlineData("6m", "m is ambiguous")]
    [InlineData("six hours", "expects a duration")]
    [InlineData("-1h", "expects a duration")]
    public async Task Gc_rejects_a_bad_duration_without_a_stack_trace(string age, string message)
    {
        var (code, _, error) = await RunAsync("store", "gc", "--store", _dir.Path, "--older-than", age);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_says_when_the_store_directory_does_not_exist()
    {
        var (code, _, error) = await RunAsync("store", "gc", "--store", _dir.Combine("absent"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("absent")));
    }

    [Fact]
    public async Task Gc_says_clearly_when_an_s3_store_cannot_be_reached()
    {
        // Port 1 refuses connections (or, without credentials in the environment, the SDK finds none): either way a one-line error.
        var (code, _, error) = await RunAsync("store", "gc", "--store", "s3://cloudinv-absent/x", "--endpoint-url", "http://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("s3://cloudinv-absent/x", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("45s", 45)]
    [InlineData("90min", 5400)]
    [InlineData("6h", 21600)]
    [InlineData("2d", 172800)]
    [InlineData("1W", 604800)]
    public void Parses_ages(string text, long seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), StoreCommand.ParseAge(text));
}
