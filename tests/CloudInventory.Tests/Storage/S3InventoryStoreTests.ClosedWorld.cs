using Amazon.S3.Model;
using CloudInventory.Storage;
using static CloudInventory.Tests.Storage.StoreGarbageCollectorTests;
using FixedClock = CloudInventory.Tests.Aws.Client.AwsClientTests.FixedClock;

namespace CloudInventory.Tests.Storage;

/// <summary>
/// Issue 16 on S3: the store is its prefix. Run-file-shaped objects just outside it (a sibling prefix sharing its
/// characters, the parent) are never listed, checked or deleted. (Keys with <c>.</c>/<c>..</c> segments cannot be made in
/// s3rver, which normalises them away, and it answers keys with empty segments with NotFound; the store's own key filter
/// is what keeps them out on S3, see <see cref="StoreLayout.IsRelativePath"/>.)
/// </summary>
public partial class S3InventoryStoreTests
{
    [Fact]
    public async Task Gc_and_check_never_list_or_delete_keys_outside_the_prefix()
    {
        var prefix = "closed/" + Guid.NewGuid().ToString("N")[..8];
        using var s3 = new S3InventoryStore(s3rver.Options(prefix));
        var manifest = await PublishRunsAsync(s3);
        string[] outside = [$"{prefix}-x/{DataFile(KilledRun)}", $"{prefix}x/{DataFile(KilledRun)}", $"closed/{DataFile(KilledRun)}", $"{prefix}-x/{manifest.Path}"];
        foreach (var key in outside)
        {
            await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = S3rverFixture.Bucket, Key = key, ContentBody = "not this store's", UseChunkEncoding = false });
        }
        var clock = new FixedClock(DateTimeOffset.UtcNow.AddDays(1));

        var report = await new StoreIntegrityCheck(s3, clock).RunAsync(TimeSpan.Zero);
        var result = await new StoreGarbageCollector(s3, clock).CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.Zero });

        Assert.Equal(1, report.ManifestsInUse);
        Assert.DoesNotContain(report.Findings, f => f.Path.Contains("-x/", StringComparison.Ordinal) || f.Path.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Equal([DataFile(KilledRun), DataFile(RunningRun), ErrorsFile(KilledRun)], result.OrphanFiles.Select(f => f.Path).Order(StringComparer.Ordinal));
        foreach (var key in outside)
        {
            var metadata = await s3.Client.GetObjectMetadataAsync(S3rverFixture.Bucket, key);
            Assert.Equal(16, metadata.ContentLength);
        }
        foreach (var path in manifest.Files.Select(f => f.Path)) Assert.True(await s3.ExistsAsync(path), path);
    }
}
