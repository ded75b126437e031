using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using CloudInventory.Catalog;
using CloudInventory.Storage;
using Column = CloudInventory.Catalog.Column;

namespace CloudInventory.Tests.Storage;

[Trait("Category", "Integration")]
public partial class S3InventoryStoreTests(S3rverFixture s3rver) : IClassFixture<S3rverFixture>
{
    private static readonly DateOnly Day = new(2026, 11, 25);

    [Fact]
    public async Task Reads_back_the_same_files_and_manifest_as_the_local_store_byte_for_byte()
    {
        using var dir = new TestDirectory();
        var runId = "20261125T060000Z-5e5e5e";
        var parquet = dir.Combine("instances.parquet");
        var columns = new Column[]
        {
            new("instance_id", ColumnType.String, ColumnOrigin.Api, null),
            new("tags", ColumnType.StringMap, ColumnOrigin.Api, null),
            new("report_time", ColumnType.Timestamp, ColumnOrigin.System, null),
        };
        using (var sink = new ParquetSink(columns, parquet))
        {
            for (var i = 0; i < 1000; i++)
            {
                sink.Append([JsonValue.Create($"i-{i}"), new JsonObject { ["Name"] = $"n{i}" }, JsonValue.Create(new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero))]);
            }
            sink.Complete();
        }
        // Large enough for a multipart upload of three parts (5 MiB parts, the last one smaller).
        var large = dir.Combine("large.bin");
        await File.WriteAllBytesAsync(large, RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 123));

        var local = new LocalInventoryStore(dir.Combine("store"));
        using var s3 = new S3InventoryStore(s3rver.Options("inventory/prod") with { MultipartThreshold = 6 * 1024 * 1024, PartSize = 5 * 1024 * 1024 });
        await s3.EnsureWritableAsync();

        var files = new (string Table, string Path, string Source, long Rows)[]
        {
            ("aws_ec2_instances", $"aws/ec2/instances/report_date=2026-11-25/{runId}.parquet", parquet, 1000),
            ("aws_s3_objects", $"aws/s3/objects/report_date=2026-11-25/{runId}.parquet", large, 0),
        };
        var manifestFiles = new List<RunManifestFile>();
        foreach (var (table, path, source, rows) in files)
        {
            var fromLocal = await local.PublishFileAsync(path, source);
            var fromS3 = await s3.PublishFileAsync(path, source);
            Assert.Equal(fromLocal, fromS3);
            Assert.Equal(new FileInfo(source).Length, fromS3.Bytes);
            manifestFiles.Add(new RunManifestFile(table, path, rows, fromS3.Bytes, fromS3.Sha256));
        }
        var manifest = RunManifestTests.Sample(runId, Day) with { Files = manifestFiles };
        Assert.Equal(await local.WriteManifestAsync(manifest), await s3.WriteManifestAsync(manifest));

        foreach (var path in files.Select(f => f.Path).Append(manifest.Path))
        {
            var (localBytes, localHash) = await ReadAsync(local, path);
            var (s3Bytes, s3Hash) = await ReadAsync(s3, path);
            Assert.Equal(localBytes, s3Bytes);
            Assert.Equal(localHash, s3Hash);
        }
        var (_, sourceHash) = await ReadFileAsync(large);
        Assert.Equal(sourceHash, manifestFiles[1].Sha256);

        var listed = new List<string>();
        await foreach (var path in s3.ListAsync("aws/")) listed.Add(path);
        Assert.Equal(files.Select(f => f.Path).Order(StringComparer.Ordinal), listed);
        var manifests = new List<RunManifest>();
        await foreach (var m in s3.ListManifestsAsync(Day, Day)) manifests.Add(m);
        Assert.Equal(manifest.ToJson(), Assert.Single(manifests).ToJson());
        Assert.Equal(manifest.ToJson(), (await s3.ReadManifestAsync(manifest.Path)).ToJson());

        var head = await s3.Client.GetObjectMetadataAsync(S3rverFixture.Bucket, "inventory/prod/" + files[1].Path);
        Assert.Equal(manifestFiles[1].Sha256, head.Metadata["sha256"]);
    }

    [Fact]
    public async Task Refuses_a_manifest_whose_files_are_not_published()
    {
        using var s3 = new S3InventoryStore(s3rver.Options("missing-files"));
        var manifest = RunManifestTests.Sample("20261125T060000Z-0a0b0c", Day);
        await Assert.ThrowsAsync<InventoryStoreException>(() => s3.WriteManifestAsync(manifest));
        Assert.False(await s3.ExistsAsync(manifest.Path));
        await Assert.ThrowsAsync<FileNotFoundException>(() => s3.OpenReadAsync(manifest.Path));
    }

    [Fact]
    public async Task Says_clearly_when_the_bucket_does_not_exist()
    {
        using var s3 = new S3InventoryStore(s3rver.Options("x") with { Bucket = "no-such-bucket" });
        var error = await Assert.ThrowsAsync<InventoryStoreException>(() => s3.EnsureWritableAsync());
        Assert.Contains("s3://no-such-bucket/x is not writable", error.Message, StringComparison.Ordinal);
        Assert.Contains("NoSuchBucket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaves_uploads_alone_where_the_server_cannot_list_them()
    {
        // s3rver does not implement ListMultipartUploads: cleaning up must not fail a run there.
        using var s3 = new S3InventoryStore(s3rver.Options("stale"));
        await s3.Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = S3rverFixture.Bucket, Key = "stale/aws/x/report_date=2026-11-25/r.parquet" });
        Assert.Equal(0, await s3.RemoveStaleUploadsAsync(TimeSpan.Zero));
        Assert.False(await s3.ExistsAsync("aws/x/report_date=2026-11-25/r.parquet"));
    }

    [Fact]
    public async Task Detects_a_server_that_stores_chunk_encoded_bodies_verbatim()
    {
        // The SDK's default aws-chunked bodies end up in s3rver's objects as they are sent; the size check catches it.
        using var s3 = new S3InventoryStore(s3rver.Options("chunked", useChunkEncoding: true));
        var error = await Assert.ThrowsAsync<InventoryStoreException>(() => s3.PublishAsync("a/b.json", "{\"a\":1}"u8.ToArray()));
        Assert.Contains("chunk encoding off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_objects_with_size_and_time_and_deletes_them_in_one_request()
    {
        using var s3 = new S3InventoryStore(s3rver.Options("objects/" + Guid.NewGuid().ToString("N")));
        await s3.PublishAsync("aws/b/x.parquet", new byte[5]);
        await s3.PublishAsync("aws/a/y.parquet", new byte[3]);
        await s3.PublishAsync("_runs/m.json", new byte[1]);

        var listed = new List<StoredObject>();
        await foreach (var entry in s3.ListObjectsAsync("aws/")) listed.Add(entry);

        Assert.Equal(["aws/a/y.parquet", "aws/b/x.parquet"], listed.Select(e => e.Path));
        Assert.Equal([3L, 5L], listed.Select(e => e.Bytes));
        Assert.All(listed, e => Assert.InRange(e.LastModified, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)));

        await s3.DeleteAsync(["aws/b/x.parquet", "aws/absent.parquet", "_runs/m.json"]);
        Assert.False(await s3.ExistsAsync("aws/b/x.parquet"));
        Assert.False(await s3.ExistsAsync("_runs/m.json"));
        Assert.True(await s3.ExistsAsync("aws/a/y.parquet"));
    }

    [Fact]
    public async Task Garbage_collection_removes_a_killed_runs_files_and_keeps_listed_files_manifests_and_other_objects()
    {
        using var s3 = new S3InventoryStore(s3rver.Options("gc/" + Guid.NewGuid().ToString("N")));
        var manifest = await StoreGarbageCollectorTests.PublishRunsAsync(s3);
        await s3.PublishAsync("README.md", "mine"u8.ToArray());
        // S3 sets LastModified itself: the collector's clock is a day ahead instead, so every object is a day old.
        var collector = new StoreGarbageCollector(s3, new CloudInventory.Tests.Aws.Client.AwsClientTests.FixedClock(DateTimeOffset.UtcNow.AddDays(1)));

        var dryRun = await collector.CollectAsync(new StoreGarbageCollectorOptions { DryRun = true });
        Assert.Equal(3, dryRun.OrphanFiles.Count);
        Assert.True(await s3.ExistsAsync(StoreGarbageCollectorTests.DataFile(StoreGarbageCollectorTests.KilledRun)));

        var result = await collector.CollectAsync();

        string[] orphans = [StoreGarbageCollectorTests.DataFile(StoreGarbageCollectorTests.KilledRun), StoreGarbageCollectorTests.DataFile(StoreGarbageCollectorTests.RunningRun), StoreGarbageCollectorTests.ErrorsFile(StoreGarbageCollectorTests.KilledRun)];
        Assert.Equal(orphans.Order(StringComparer.Ordinal), result.OrphanFiles.Select(f => f.Path));
        Assert.Equal(127, result.OrphanBytes);
        Assert.Equal(0, result.StaleUploads);
        foreach (var path in orphans) Assert.False(await s3.ExistsAsync(path), path);
        foreach (var path in manifest.Files.Select(f => f.Path).Append(manifest.Path).Append("README.md")) Assert.True(await s3.ExistsAsync(path), path);

        var again = await collector.CollectAsync();
        Assert.Empty(again.OrphanFiles);
    }

    private static async Task<(long Bytes, string Sha256)> ReadAsync(IInventoryStore store, string path)
    {
        await using var stream = await store.OpenReadAsync(path);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return (copy.Length, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
    }

    private static async Task<(long Bytes, string Sha256)> ReadFileAsync(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        return (bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
