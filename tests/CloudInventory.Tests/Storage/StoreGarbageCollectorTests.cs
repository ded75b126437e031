using System.Text;
using CloudInventory.Storage;
using FixedClock = CloudInventory.Tests.Aws.Client.AwsClientTests.FixedClock;

namespace CloudInventory.Tests.Storage;

public sealed partial class StoreGarbageCollectorTests : IDisposable
{
    internal static readonly DateOnly Day = new(2026, 11, 25);
    internal static readonly DateTimeOffset Now = new(2026, 11, 25, 18, 0, 0, TimeSpan.Zero);
    internal const string ListedRun = "20261125T060000Z-aaaaaa";
    internal const string KilledRun = "20261125T070000Z-bbbbbb";
    internal const string RunningRun = "20261125T170000Z-cccccc";

    private readonly TestDirectory _dir = new();
    private readonly LocalInventoryStore _store;

    public StoreGarbageCollectorTests() => _store = new LocalInventoryStore(_dir.Path);

    public void Dispose() => _dir.Dispose();

    internal static string DataFile(string runId, string table = "ec2/instances", DateOnly? day = null) =>
        $"aws/{table}/{StoreLayout.Partition(day ?? Day)}/{runId}.parquet";

    internal static string ErrorsFile(string runId) => StoreLayout.ErrorsFilePath(Day, runId);

    /// <summary>A listed run (data and errors file, manifest), a killed run's two files, and a running run's file.</summary>
    internal static async Task<RunManifest> PublishRunsAsync(IInventoryStore store)
    {
        var files = new List<RunManifestFile>();
        foreach (var (table, path) in new[] { ("aws_ec2_instances", DataFile(ListedRun)), ("aws_s3_buckets", DataFile(ListedRun, "s3/buckets")), ("cloudinv_errors", ErrorsFile(ListedRun)) })
        {
            var published = await store.PublishAsync(path, Encoding.UTF8.GetBytes("listed " + path));
            files.Add(new RunManifestFile(table, path, 1, published.Bytes, published.Sha256));
        }
        var manifest = RunManifestTests.Sample(ListedRun, Day) with { Files = files };
        await store.WriteManifestAsync(manifest);
        await store.PublishAsync(DataFile(KilledRun), new byte[100]);
        await store.PublishAsync(ErrorsFile(KilledRun), new byte[20]);
        await store.PublishAsync(DataFile(RunningRun), new byte[7]);
        return manifest;
    }

    private async Task<RunManifest> ArrangeAsync()
    {
        var manifest = await PublishRunsAsync(_store);
        await File.WriteAllTextAsync(_dir.Combine("README.md"), "my notes about this store");
        await _store.PublishAsync("aws/ec2/instances/report_date=2026-11-25/notes.parquet", new byte[3]);
        await _store.PublishAsync("cloudinv/other/report_date=2026-11-25/" + KilledRun + ".parquet", new byte[3]);
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, Now.UtcDateTime.AddHours(-10));
        }
        File.SetLastWriteTimeUtc(_store.FullPath(DataFile(RunningRun)), Now.UtcDateTime.AddMinutes(-50));
        return manifest;
    }

    private StoreGarbageCollector Collector() => new(_store, new FixedClock(Now));

    private HashSet<string> Files() =>
        Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_dir.Path, f).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public async Task Removes_unlisted_run_files_older_than_the_grace_period_and_keeps_everything_else()
    {
        var manifest = await ArrangeAsync();
        var before = Files();

        var result = await Collector().CollectAsync();

        Assert.False(result.DryRun);
        Assert.Equal([DataFile(KilledRun), ErrorsFile(KilledRun)], result.OrphanFiles.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(120, result.OrphanBytes);
        Assert.Equal([DataFile(RunningRun)], result.RecentFiles.Select(f => f.Path));
        Assert.Empty(result.BlockedFiles);
        Assert.Empty(result.UnreadableManifests);
        Assert.False(result.IsPartial);
        Assert.Equal(0, result.StaleUploads);
        before.ExceptWith([DataFile(KilledRun), ErrorsFile(KilledRun)]);
        Assert.Equal(before, Files());
        // Listed files, the manifest, the running run's file and files outside the layout are all still there.
        Assert.Contains(manifest.Path, before);
        Assert.All(manifest.Files, f => Assert.Contains(f.Path, before));
        Assert.Contains("README.md", before);
        Assert.Contains("aws/ec2/instances/report_date=2026-11-25/notes.parquet", before);
        Assert.Contains(DataFile(RunningRun), before);
    }

    [Fact]
    public async Task A_shorter_grace_period_also_removes_younger_unlisted_files()
    {
        await ArrangeAsync();

        var result = await Collector().CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.FromMinutes(30) });

        Assert.Equal([DataFile(KilledRun), DataFile(RunningRun), ErrorsFile(KilledRun)], result.OrphanFiles.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(_store.FullPath(DataFile(RunningRun))));
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_go_and_removes_nothing()
    {
        await ArrangeAsync();
        var stale = _store.FullPath(DataFile(KilledRun, "ec2/volumes")) + ".tmp-0a1b2c3d4e5f";
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllBytesAsync(stale, [1]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));
        var before = Files();

        var result = await Collector().CollectAsync(new StoreGarbageCollectorOptions { DryRun = true });

        Assert.True(result.DryRun);
        Assert.Equal(2, result.OrphanFiles.Count);
        Assert.Null(result.StaleUploads);
        Assert.Equal(before, Files());
    }

    [Fact]
    public async Task Removes_stale_temporary_files_with_the_same_grace_period()
    {
        await ArrangeAsync();
        var stale = _store.FullPath(DataFile(KilledRun, "ec2/volumes")) + ".tmp-0a1b2c3d4e5f";
        var fresh = _store.FullPath(DataFile(RunningRun, "ec2/volumes")) + ".tmp-1a1b2c3d4e5f";
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllBytesAsync(stale, [1]);
        await File.WriteAllBytesAsync(fresh, [1]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));

        var result = await Collector().CollectAsync();

        Assert.Equal(1, result.StaleUploads);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task An_unreadable_manifest_keeps_every_unlisted_file_of_its_partition()
    {
        await ArrangeAsync();
        var otherDay = Day.AddDays(-1);
        var otherOrphan = DataFile(KilledRun, day: otherDay);
        await _store.PublishAsync(otherOrphan, new byte[4]);
        File.SetLastWriteTimeUtc(_store.FullPath(otherOrphan), Now.UtcDateTime.AddDays(-1));
        var corrupt = StoreLayout.ManifestPath(Day, "20261125T080000Z-dddddd");
        await _store.PublishAsync(corrupt, Encoding.UTF8.GetBytes("{\"run_id\": \"20261125T080000Z-dd"));

        var result = await Collector().CollectAsync();

        var unreadable = Assert.Single(result.UnreadableManifests);
        Assert.Equal(corrupt, unreadable.Path);
        Assert.Equal(Day, unreadable.ReportDate);
        Assert.Contains("not valid", unreadable.Reason, StringComparison.Ordinal);
        Assert.True(result.IsPartial);
        Assert.Equal([DataFile(KilledRun), DataFile(RunningRun), ErrorsFile(KilledRun)], result.BlockedFiles.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(_store.FullPath(DataFile(KilledRun))));
        Assert.True(File.Exists(_store.FullPath(ErrorsFile(KilledRun))));
        Assert.True(File.Exists(_store.FullPath(corrupt)));
        // Other days are still collected.
        Assert.Equal([otherOrphan], result.OrphanFiles.Select(f => f.Path));
        Assert.False(File.Exists(_store.FullPath(otherOrphan)));
    }

    [Fact]
    public async Task Keeps_files_listed_by_a_shard_manifest_and_removes_a_killed_shard()
    {
        var runId = "20261125T060000Z-eeeeee";
        var shard1 = $"aws/ec2/instances/report_date=2026-11-25/{StoreLayout.FileStem(runId, "1/2")}.parquet";
        var shard2 = $"aws/ec2/instances/report_date=2026-11-25/{StoreLayout.FileStem(runId, "2/2")}.parquet";
        var published = await _store.PublishAsync(shard1, new byte[10]);
        await _store.PublishAsync(shard2, new byte[10]);
        await _store.WriteManifestAsync(RunManifestTests.Sample(runId, Day, "1/2") with { Files = [new RunManifestFile("aws_ec2_instances", shard1, 1, published.Bytes, published.Sha256)] });
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(file, Now.UtcDateTime.AddDays(-3));

        var result = await Collector().CollectAsync();

        Assert.Equal([shard2], result.OrphanFiles.Select(f => f.Path));
        Assert.True(File.Exists(_store.FullPath(shard1)));
    }

    [Fact]
    public async Task Keeps_files_of_a_run_that_finishes_and_a_file_rewritten_while_it_looks()
    {
        await ArrangeAsync();
        var rewritten = DataFile(KilledRun, "ec2/volumes");
        await _store.PublishAsync(rewritten, new byte[9]);
        File.SetLastWriteTimeUtc(_store.FullPath(rewritten), Now.UtcDateTime.AddHours(-10));
        // Between the first look and the deletion, the "killed" run turns out to be finishing (its manifest
        // appears, listing its data file), and a retried run republishes another file at the same path.
        var store = new StoreChangingOnSecondListing(_store, async () =>
        {
            // It recorded no errors, so the errors file at its path is not its own (a manifest lists the errors file it wrote).
            await _store.WriteManifestAsync(RunManifestTests.Sample(KilledRun, Day) with
            {
                Files = [new RunManifestFile("aws_ec2_instances", DataFile(KilledRun), 0, 100, new string('0', 64))],
                Errors = 0,
            });
            await _store.PublishAsync(rewritten, new byte[9]);
        });

        var result = await new StoreGarbageCollector(store, new FixedClock(Now)).CollectAsync();

        Assert.Equal([ErrorsFile(KilledRun)], result.OrphanFiles.Select(f => f.Path));
        Assert.True(File.Exists(_store.FullPath(DataFile(KilledRun))));
        Assert.True(File.Exists(_store.FullPath(rewritten)));
        Assert.False(File.Exists(_store.FullPath(ErrorsFile(KilledRun))));
    }

    [Fact]
    public async Task An_empty_or_absent_store_has_nothing_to_collect()
    {
        var result = await new StoreGarbageCollector(new LocalInventoryStore(_dir.Combine("absent"))).CollectAsync();
        Assert.Empty(result.OrphanFiles);
        Assert.Equal(0, result.StaleUploads);
        Assert.False(Directory.Exists(_dir.Combine("absent")));
    }

    [Fact]
    public async Task Rejects_a_negative_grace_period() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Collector().CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.FromHours(-1) }));

    /// <summary>A store that runs <c>change</c> once, just before its manifests are listed for the second time.</summary>
    private sealed class StoreChangingOnSecondListing(IInventoryStore inner, Func<Task> change) : IInventoryStore
    {
        private int _manifestListings;

        public string Location => inner.Location;

        public async IAsyncEnumerable<string> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (prefix == StoreLayout.ManifestsPrefix && ++_manifestListings == 2) await change();
            await foreach (var path in inner.ListAsync(prefix, cancellationToken)) yield return path;
        }

        public IAsyncEnumerable<StoredObject> ListObjectsAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListObjectsAsync(prefix, cancellationToken);

        public Task DeleteAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default) => inner.DeleteAsync(paths, cancellationToken);

        public Task EnsureWritableAsync(CancellationToken cancellationToken = default) => inner.EnsureWritableAsync(cancellationToken);

        public Task<PublishedFile> PublishFileAsync(string path, string sourceFile, CancellationToken cancellationToken = default) => inner.PublishFileAsync(path, sourceFile, cancellationToken);

        public Task<PublishedFile> PublishAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PublishAsync(path, content, cancellationToken);

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);

        public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) => inner.ExistsAsync(path, cancellationToken);

        public Task<int> RemoveStaleUploadsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default) => inner.RemoveStaleUploadsAsync(olderThan, cancellationToken);

        public Task<PublishedFile> WriteManifestAsync(RunManifest manifest, CancellationToken cancellationToken = default) => inner.WriteManifestAsync(manifest, cancellationToken);

        public Task<RunManifest> ReadManifestAsync(string path, CancellationToken cancellationToken = default) => inner.ReadManifestAsync(path, cancellationToken);

        public IAsyncEnumerable<RunManifest> ListManifestsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) => inner.ListManifestsAsync(from, to, cancellationToken);

        public IAsyncEnumerable<SkippedEntry> ListSkippedAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListSkippedAsync(prefix, cancellationToken);
    }
}
