using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Storage;
using FixedClock = CloudInventory.Tests.Aws.Client.AwsClientTests.FixedClock;

namespace CloudInventory.Tests.Storage;

/// <summary>Issue 16: gc never follows a symbolic link, agrees with queries on what is listed, and skips what it cannot read.</summary>
public sealed partial class StoreGarbageCollectorTests
{
    private static void Age(string root) =>
        new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .ToList().ForEach(f => f.LastWriteTimeUtc = Now.UtcDateTime.AddDays(-3));

    [Fact]
    public async Task Never_follows_a_folder_link_out_of_the_store()
    {
        await ArrangeAsync();
        using var outside = new TestDirectory();
        // Run-file-shaped and temporary files in a folder outside the store, reached through a link inside it.
        var victim = outside.Combine("report_date=2026-11-25", KilledRun + ".parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(victim)!);
        await File.WriteAllBytesAsync(victim, new byte[5]);
        var temporary = outside.Combine("report_date=2026-11-25", "x.parquet.tmp-0a1b2c3d4e5f");
        await File.WriteAllBytesAsync(temporary, new byte[5]);
        Age(outside.Path);
        Directory.CreateSymbolicLink(_dir.Combine("aws", "ec2", "stolen"), outside.Path);

        var result = await Collector().CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.Zero });

        Assert.True(File.Exists(victim));
        Assert.True(File.Exists(temporary));
        Assert.DoesNotContain(result.OrphanFiles, f => f.Path.Contains("stolen", StringComparison.Ordinal));
        Assert.Contains(result.Skipped, s => s.Path == "aws/ec2/stolen" && s.Kind == SkippedEntryKind.SymbolicLink);
    }

    [Fact]
    public async Task An_alias_link_inside_the_store_never_makes_listed_files_look_unlisted()
    {
        var manifest = await ArrangeAsync();
        Directory.CreateSymbolicLink(_dir.Combine("aws", "ec2", "instances_old"), "instances");

        var result = await Collector().CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.Zero });

        Assert.All(manifest.Files, f => Assert.True(File.Exists(_store.FullPath(f.Path)), f.Path));
        Assert.DoesNotContain(result.OrphanFiles, f => f.Path.StartsWith("aws/ec2/instances_old/", StringComparison.Ordinal));
        Assert.True(Directory.Exists(_dir.Combine("aws", "ec2", "instances_old")));
    }

    [Fact]
    public async Task A_manifest_path_that_is_not_normalised_keeps_the_file_it_means_and_its_partition()
    {
        var manifest = await ArrangeAsync();
        var listed = DataFile(ListedRun);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(_store.FullPath(manifest.Path)))!;
        json["files"]![0]!["path"] = "./aws/ec2/instances/../instances/" + listed["aws/ec2/instances/".Length..];
        await File.WriteAllTextAsync(_store.FullPath(manifest.Path), json.ToJsonString());

        var result = await Collector().CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.Zero });

        Assert.True(File.Exists(_store.FullPath(listed)));
        Assert.Empty(result.OrphanFiles);
        Assert.True(result.IsPartial);
        Assert.Equal(ManifestProblem.InvalidPaths, Assert.Single(result.UnreadableManifests).Problem);
    }

    [Fact]
    public async Task Keeps_the_errors_file_of_a_run_whose_older_manifest_does_not_list_it()
    {
        var manifest = await ArrangeAsync();
        // Manifests written before errors files were listed name only the data files; queries read the errors file by its layout.
        await _store.WriteManifestAsync(manifest with { Files = manifest.Files.Where(f => f.Table != StoreLayout.ErrorsTable).ToArray() });

        var result = await Collector().CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.Zero });

        Assert.True(File.Exists(_store.FullPath(ErrorsFile(ListedRun))));
        Assert.DoesNotContain(result.OrphanFiles, f => f.Path == ErrorsFile(ListedRun));
        Assert.False(File.Exists(_store.FullPath(ErrorsFile(KilledRun))));
    }

    [Fact]
    public async Task Keeps_the_files_of_a_quarantined_manifest()
    {
        var manifest = await ArrangeAsync();
        var quarantined = StoreLayout.QuarantinePrefix + manifest.Path;
        Directory.CreateDirectory(Path.GetDirectoryName(_dir.Combine(quarantined))!);
        File.Move(_store.FullPath(manifest.Path), _dir.Combine(quarantined));

        var result = await Collector().CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.Zero });

        Assert.All(manifest.Files, f => Assert.True(File.Exists(_store.FullPath(f.Path)), f.Path));
        Assert.Contains(result.BlockedFiles, f => f.Path == DataFile(ListedRun));
        Assert.False(File.Exists(_store.FullPath(DataFile(KilledRun))));
    }

    [Fact]
    public async Task A_manifest_or_folder_that_cannot_be_read_skips_its_partition_and_makes_the_run_partial()
    {
        await ArrangeAsync();
        var denied = StoreLayout.ManifestPath(Day, "20261125T080000Z-dddddd");
        await _store.PublishAsync(denied, Encoding.UTF8.GetBytes("{}"));
        var otherDay = Day.AddDays(-2);
        var lockedFolder = $"aws/ec2/volumes/{StoreLayout.Partition(otherDay)}";
        var otherOrphan = DataFile(KilledRun, "ec2/instances", otherDay);
        await _store.PublishAsync(otherOrphan, new byte[4]);
        File.SetLastWriteTimeUtc(_store.FullPath(otherOrphan), Now.UtcDateTime.AddDays(-3));
        // Permission denied, as the file system reports it to a user who may not read (tests may run as root).
        var store = new DenyingStore(_store, denied, lockedFolder);

        var result = await new StoreGarbageCollector(store, new FixedClock(Now)).CollectAsync();

        Assert.True(result.IsPartial);
        Assert.Contains("Permission denied", Assert.Single(result.UnreadableManifests).Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(_store.FullPath(DataFile(KilledRun))));
        Assert.Contains(result.Skipped, s => s.Path == lockedFolder && s.Kind == SkippedEntryKind.UnreadableFolder);
        Assert.False(File.Exists(_store.FullPath(otherOrphan)));
    }

    [Fact]
    public async Task A_store_refuses_to_read_write_or_delete_through_a_link()
    {
        using var outside = new TestDirectory();
        await File.WriteAllTextAsync(outside.Combine("secret.parquet"), "outside");
        Directory.CreateSymbolicLink(_dir.Combine("aws"), outside.Path);

        await Assert.ThrowsAsync<InventoryStoreException>(() => _store.OpenReadAsync("aws/secret.parquet"));
        await Assert.ThrowsAsync<InventoryStoreException>(() => _store.PublishAsync("aws/new.parquet", new byte[1]));
        await Assert.ThrowsAsync<InventoryStoreException>(() => _store.DeleteAsync(["aws/secret.parquet"]));
        Assert.True(File.Exists(outside.Combine("secret.parquet")));
        Assert.False(File.Exists(outside.Combine("new.parquet")));
    }

    /// <summary>A store on which one manifest and one folder cannot be read (permission denied).</summary>
    internal sealed class DenyingStore(LocalInventoryStore inner, string deniedManifest, string deniedFolder) : IInventoryStore
    {
        public string Location => inner.Location;

        public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var path in inner.ListAsync(prefix, cancellationToken)) if (!path.StartsWith(deniedFolder + "/", StringComparison.Ordinal)) yield return path;
        }

        public async IAsyncEnumerable<StoredObject> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var o in inner.ListObjectsAsync(prefix, cancellationToken)) if (!o.Path.StartsWith(deniedFolder + "/", StringComparison.Ordinal)) yield return o;
        }

        public async IAsyncEnumerable<SkippedEntry> ListSkippedAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var s in inner.ListSkippedAsync(prefix, cancellationToken)) yield return s;
            if (deniedFolder.StartsWith(prefix, StringComparison.Ordinal)) yield return new SkippedEntry(deniedFolder, SkippedEntryKind.UnreadableFolder, $"Access to the path '{deniedFolder}' is denied: Permission denied");
        }

        public Task<RunManifest> ReadManifestAsync(string path, CancellationToken cancellationToken = default) =>
            path == deniedManifest ? throw new UnauthorizedAccessException($"Access to the path '{path}' is denied: Permission denied") : inner.ReadManifestAsync(path, cancellationToken);

        public Task DeleteAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default) =>
            paths.Any(p => p.StartsWith(deniedFolder + "/", StringComparison.Ordinal)) ? throw new InvalidOperationException("deleted in a denied folder") : inner.DeleteAsync(paths, cancellationToken);

        public Task EnsureWritableAsync(CancellationToken cancellationToken = default) => inner.EnsureWritableAsync(cancellationToken);

        public Task<PublishedFile> PublishFileAsync(string path, string sourceFile, CancellationToken cancellationToken = default) => inner.PublishFileAsync(path, sourceFile, cancellationToken);

        public Task<PublishedFile> PublishAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.PublishAsync(path, content, cancellationToken);

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);

        public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) => inner.ExistsAsync(path, cancellationToken);

        public Task<int> RemoveStaleUploadsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default) => inner.RemoveStaleUploadsAsync(olderThan, cancellationToken);

        public Task<PublishedFile> WriteManifestAsync(RunManifest manifest, CancellationToken cancellationToken = default) => inner.WriteManifestAsync(manifest, cancellationToken);

        public IAsyncEnumerable<RunManifest> ListManifestsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) => inner.ListManifestsAsync(from, to, cancellationToken);
    }
}
