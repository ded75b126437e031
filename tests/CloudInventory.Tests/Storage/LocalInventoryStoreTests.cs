using System.Security.Cryptography;
using System.Text;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Storage;

public class LocalInventoryStoreTests
{
    [Fact]
    public async Task Publishes_a_file_with_its_size_and_sha256_leaving_no_temporary_file()
    {
        using var dir = new TestDirectory();
        var source = dir.Combine("staging.bin");
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        await File.WriteAllBytesAsync(source, content);
        var store = new LocalInventoryStore(dir.Combine("store"));

        var published = await store.PublishFileAsync("aws/ec2/instances/report_date=2026-11-25/r.parquet", source);

        Assert.Equal(new PublishedFile("aws/ec2/instances/report_date=2026-11-25/r.parquet", content.Length, Convert.ToHexStringLower(SHA256.HashData(content))), published);
        var target = Path.Combine(dir.Path, "store", "aws", "ec2", "instances", "report_date=2026-11-25", "r.parquet");
        Assert.Equal(content, await File.ReadAllBytesAsync(target));
        Assert.Equal([target], Directory.GetFiles(Path.GetDirectoryName(target)!));
        Assert.True(File.Exists(source));
    }

    [Fact]
    public async Task Replaces_an_object_that_is_already_published()
    {
        using var dir = new TestDirectory();
        var store = new LocalInventoryStore(dir.Path);
        await store.PublishAsync("a/b.json", Encoding.UTF8.GetBytes("first, longer content"));
        var second = await store.PublishAsync("a/b.json", Encoding.UTF8.GetBytes("second"));
        Assert.Equal(6, second.Bytes);
        await using var stream = await store.OpenReadAsync("a/b.json");
        using var reader = new StreamReader(stream);
        Assert.Equal("second", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Lists_published_objects_but_not_temporary_files()
    {
        using var dir = new TestDirectory();
        var store = new LocalInventoryStore(dir.Path);
        await store.PublishAsync("_runs/report_date=2026-11-25/b.json", "{}"u8.ToArray());
        await store.PublishAsync("_runs/report_date=2026-11-24/a.json", "{}"u8.ToArray());
        await store.PublishAsync("aws/ec2/instances/report_date=2026-11-25/a.parquet", "x"u8.ToArray());
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "_runs", "report_date=2026-11-25", "c.json.tmp-0123456789ab"), "{");

        var listed = new List<string>();
        await foreach (var path in store.ListAsync("_runs/")) listed.Add(path);

        Assert.Equal(["_runs/report_date=2026-11-24/a.json", "_runs/report_date=2026-11-25/b.json"], listed);
        Assert.True(await store.ExistsAsync("aws/ec2/instances/report_date=2026-11-25/a.parquet"));
        Assert.False(await store.ExistsAsync("aws/ec2/instances/report_date=2026-11-25/b.parquet"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync("aws/none.parquet"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ExistsAsync("../outside"));
    }

    [Fact]
    public async Task Removes_temporary_files_older_than_the_cutoff_only()
    {
        using var dir = new TestDirectory();
        var store = new LocalInventoryStore(dir.Path);
        var partition = Path.Combine(dir.Path, "aws", "ec2", "instances", "report_date=2026-11-25");
        Directory.CreateDirectory(partition);
        var stale = Path.Combine(partition, "r.parquet.tmp-aaaaaaaaaaaa");
        var fresh = Path.Combine(partition, "s.parquet.tmp-bbbbbbbbbbbb");
        var published = Path.Combine(partition, "t.parquet");
        foreach (var file in new[] { stale, fresh, published }) await File.WriteAllTextAsync(file, "x");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(published, DateTime.UtcNow.AddHours(-2));

        Assert.Equal(1, await store.RemoveStaleUploadsAsync(TimeSpan.FromHours(1)));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(published));
    }

    [Fact]
    public async Task Says_clearly_when_the_directory_is_not_writable()
    {
        using var dir = new TestDirectory();
        var file = dir.Combine("a-file");
        await File.WriteAllTextAsync(file, "x");
        var store = new LocalInventoryStore(Path.Combine(file, "store"));

        var ensure = await Assert.ThrowsAsync<InventoryStoreException>(() => store.EnsureWritableAsync());
        Assert.Contains("is not writable", ensure.Message, StringComparison.Ordinal);
        Assert.Contains(file, ensure.Message, StringComparison.Ordinal);
        var publish = await Assert.ThrowsAsync<InventoryStoreException>(() => store.PublishAsync("x/y.json", "{}"u8.ToArray()));
        Assert.Contains("is not writable", publish.Message, StringComparison.Ordinal);
        await new LocalInventoryStore(dir.Combine("fine")).EnsureWritableAsync();
        Assert.Empty(Directory.GetFiles(dir.Combine("fine")));
    }

    [Fact]
    public async Task Writes_manifests_last_and_lists_them_by_report_date()
    {
        using var dir = new TestDirectory();
        var store = new LocalInventoryStore(dir.Path);
        var early = RunManifestTests.Sample("20261124T060000Z-000001", new DateOnly(2026, 11, 24));
        var second = RunManifestTests.Sample("20261125T120000Z-000003", new DateOnly(2026, 11, 25));
        var first = RunManifestTests.Sample("20261125T060000Z-000002", new DateOnly(2026, 11, 25));
        var late = RunManifestTests.Sample("20261126T060000Z-000004", new DateOnly(2026, 11, 26));

        var missing = await Assert.ThrowsAsync<InventoryStoreException>(() => store.WriteManifestAsync(first));
        Assert.Contains(first.Files[0].Path, missing.Message, StringComparison.Ordinal);
        Assert.False(await store.ExistsAsync(first.Path));

        foreach (var manifest in new[] { early, second, first, late })
        {
            await store.PublishAsync(manifest.Files[0].Path, "PAR1"u8.ToArray());
            var published = await store.WriteManifestAsync(manifest);
            Assert.Equal(manifest.Path, published.Path);
        }

        var listed = new List<RunManifest>();
        await foreach (var manifest in store.ListManifestsAsync(new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 26))) listed.Add(manifest);
        Assert.Equal([first.RunId, second.RunId, late.RunId], listed.Select(m => m.RunId));
        Assert.Equal(first.ToJson(), (await store.ReadManifestAsync(first.Path)).ToJson());
    }

    [Fact]
    public void Flushes_a_directory_to_disk_on_posix_systems()
    {
        using var dir = new TestDirectory();
        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), CloudInventory.Storage.Internal.DirectorySync.Flush(dir.Path));
        Assert.False(CloudInventory.Storage.Internal.DirectorySync.Flush(dir.Combine("missing")));
    }

    [Fact]
    public async Task Lists_objects_with_size_and_last_write_time_but_no_temporary_files_and_deletes_them()
    {
        using var dir = new TestDirectory();
        var store = new LocalInventoryStore(dir.Path);
        await store.PublishAsync("aws/b/x.parquet", new byte[5]);
        await store.PublishAsync("aws/a/y.parquet", new byte[3]);
        await store.PublishAsync("_runs/m.json", new byte[1]);
        await File.WriteAllBytesAsync(store.FullPath("aws/a/z.parquet") + ".tmp-0a1b2c3d4e5f", new byte[9]);
        var written = new DateTime(2026, 11, 20, 6, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(store.FullPath("aws/b/x.parquet"), written);

        var listed = new List<StoredObject>();
        await foreach (var entry in store.ListObjectsAsync("aws/")) listed.Add(entry);

        Assert.Equal(["aws/a/y.parquet", "aws/b/x.parquet"], listed.Select(e => e.Path));
        Assert.Equal([3L, 5L], listed.Select(e => e.Bytes));
        Assert.Equal(new DateTimeOffset(written), listed[1].LastModified);

        await store.DeleteAsync(["aws/b/x.parquet", "aws/absent.parquet", "absent/dir/x.parquet"]);
        Assert.False(File.Exists(store.FullPath("aws/b/x.parquet")));
        Assert.True(File.Exists(store.FullPath("aws/a/y.parquet")));
        Assert.True(Directory.Exists(dir.Combine("aws", "b")));
    }
}
