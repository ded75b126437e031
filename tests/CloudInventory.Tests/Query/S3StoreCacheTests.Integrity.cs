using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Query;
using CloudInventory.Storage;
using CloudInventory.Tests.Storage;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

/// <summary>
/// Issue 16 on S3 stores: a file that fails verification is left out with a warning naming it (as in a local store), the
/// rest of the store stays queryable, and a manifest that lists keys with dot segments or outside the prefix is not used.
/// </summary>
public sealed partial class S3StoreCacheTests
{
    private const string InstancesWithoutDay1 = "SELECT count(*) FROM aws_ec2_instances WHERE report_date <> DATE '2026-03-01'";

    private string Day1InstanceFile => Path.GetRelativePath(_local.Root, InstanceFile(Day1)).Replace('\\', '/');

    [Theory]
    [InlineData("size")]
    [InlineData("sha256")]
    public async Task A_download_that_does_not_match_its_manifest_is_left_out_with_a_warning_naming_it_and_the_rest_stays_queryable(string damage)
    {
        await UploadSampleAsync();
        var path = Day1InstanceFile;
        var bytes = await File.ReadAllBytesAsync(InstanceFile(Day1));
        if (damage == "size") bytes = Encoding.UTF8.GetBytes("not the file the manifest lists");
        else bytes[bytes.Length / 2] ^= 0x10;
        using (var store = new S3InventoryStore(s3rver.Options(_prefix))) await store.PublishAsync(path, bytes);
        using var local = InventoryDatabase.Open(_local.Root, TestStore.Catalog);
        var warnings = new List<string>();

        using (var s3 = OpenS3(warnings.Add))
        {
            Assert.Equal(Rows(local, InstancesWithoutDay1), Rows(s3, "SELECT count(*) FROM aws_ec2_instances"));
            var warning = Assert.Single(warnings);
            Assert.Contains(path, warning, StringComparison.Ordinal);
            Assert.Contains(damage == "size" ? "bytes in " + Location : "has SHA-256 ", warning, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(s3.StoreRoot, path)));
            Assert.Empty(Directory.EnumerateFiles(s3.StoreRoot, "*.tmp-*", SearchOption.AllDirectories));
        }

        // The command line: the rows of the other files, the damaged file named in one warning line, exit 0.
        var cli = Cloudinv(Environment(), "query", "SELECT count(*) AS n FROM aws_ec2_instances", "--store", Location, "--format", "csv");
        Assert.Equal(0, cli.Code);
        Assert.Equal("n\n" + Rows(local, InstancesWithoutDay1)[0][0] + "\n", cli.Out);
        Assert.Contains(Lines(cli.Err), l => l.StartsWith("warning: ", StringComparison.Ordinal) && l.Contains(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_listed_object_missing_from_the_store_is_left_out_with_a_warning_naming_it()
    {
        await UploadSampleAsync();
        var path = Day1InstanceFile;
        using (var store = new S3InventoryStore(s3rver.Options(_prefix))) await store.DeleteAsync([path]);
        using var local = InventoryDatabase.Open(_local.Root, TestStore.Catalog);
        var warnings = new List<string>();
        using var s3 = OpenS3(warnings.Add);

        Assert.Equal(Rows(local, InstancesWithoutDay1), Rows(s3, "SELECT count(*) FROM aws_ec2_instances"));
        Assert.Contains($"{path} is missing from {Location}", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cached_copy_that_fails_verification_is_downloaded_again_and_nothing_is_left_out()
    {
        await UploadSampleAsync();
        using (var s3 = OpenS3()) Rows(s3, "SELECT count(*) FROM aws_ec2_instances");
        var cached = Path.Combine(CacheRoot(), Day1InstanceFile);
        // The same size, one bit changed: only the SHA-256 tells.
        var bytes = await File.ReadAllBytesAsync(cached);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(cached, bytes);
        var warnings = new List<string>();

        using (var s3 = OpenS3(warnings.Add))
        {
            Assert.Equal(Rows(s3, "SELECT count(*) FROM aws_ec2_instances"), [["19"]]);
            Assert.Equal(1, s3.Cache!.DownloadedFiles);
        }
        Assert.Empty(warnings);
        Assert.Equal(SampleFileSha(cached), S3StoreUpload.Sha256(cached));
    }

    [Theory]
    [InlineData("dot-segments")]
    [InlineData("outside-the-prefix")]
    public async Task A_manifest_listing_keys_with_dot_segments_or_outside_the_prefix_is_not_used_and_nothing_it_names_is_downloaded(string damage)
    {
        await UploadSampleAsync();
        var manifestPath = Directory.EnumerateFiles(Path.Combine(_local.Root, "_runs", "report_date=2026-03-01"), "*.json").Single();
        var relativeManifest = Path.GetRelativePath(_local.Root, manifestPath).Replace('\\', '/');
        using var store = new S3InventoryStore(s3rver.Options(_prefix));
        JsonNode json;
        await using (var stream = await store.OpenReadAsync(relativeManifest)) json = (await JsonNode.ParseAsync(stream))!;
        var file = json["files"]!.AsArray().First(f => (string)f!["table"]! == "aws_ec2_instances")!;
        var listed = (string)file["path"]!;
        // The same bytes reachable under a key outside the prefix (a sibling prefix sharing its first characters).
        var outside = $"{S3rverFixture.Bucket}/{_prefix}-x/{listed}";
        await store.Client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = S3rverFixture.Bucket, Key = $"{_prefix}-x/{listed}", FilePath = Path.Combine(_local.Root, listed), UseChunkEncoding = false,
        });
        file["path"] = damage == "dot-segments"
            ? "aws/ec2/instances/../instances/" + listed["aws/ec2/instances/".Length..]
            : $"../{_prefix.Split('/')[^1]}-x/{listed}";
        await store.PublishAsync(relativeManifest, Encoding.UTF8.GetBytes(json.ToJsonString()));
        using var local = InventoryDatabase.Open(_local.Root, TestStore.Catalog);
        var warnings = new List<string>();

        using (var s3 = OpenS3(warnings.Add))
        {
            // Never half-used: none of the manifest's files is read, the other runs are.
            Assert.Equal(Rows(local, InstancesWithoutDay1), Rows(s3, "SELECT count(*) FROM aws_ec2_instances"));
            Assert.Contains(warnings, w => w.Contains(relativeManifest + " is not used", StringComparison.Ordinal) && w.Contains((string)file["path"]!, StringComparison.Ordinal));
            Assert.False(Directory.Exists(Path.Combine(s3.StoreRoot, "aws", "ec2", "instances", "report_date=2026-03-01")));
            Assert.Equal([s3.StoreRoot], Directory.EnumerateDirectories(Path.Combine(_cacheBase, S3rverFixture.Bucket)));
        }

        // store check names the manifest; gc keeps everything the manifest names and touches nothing outside the prefix.
        var report = await new StoreIntegrityCheck(store).RunAsync(TimeSpan.Zero);
        Assert.Contains(report.Problems, p => p.Path == relativeManifest && p.Kind == StoreProblemKind.BadManifest);
        var gc = await new StoreGarbageCollector(store, new CloudInventory.Tests.Aws.Client.AwsClientTests.FixedClock(DateTimeOffset.UtcNow.AddDays(1))).CollectAsync();
        Assert.True(gc.IsPartial);
        Assert.DoesNotContain(gc.OrphanFiles, f => f.Path == listed);
        Assert.True(await store.ExistsAsync(listed));
        using var sibling = new S3InventoryStore(s3rver.Options(_prefix + "-x"));
        Assert.True(await sibling.ExistsAsync(listed), outside);
    }
}
