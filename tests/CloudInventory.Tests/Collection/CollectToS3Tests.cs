using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using CloudInventory.Aws.Credentials;
using CloudInventory.Collection;
using CloudInventory.Simulator;
using CloudInventory.Storage;
using CloudInventory.Tests.Storage;
using DuckDB.NET.Data;

namespace CloudInventory.Tests.Collection;

/// <summary>The same collection into a local directory and into a real S3 implementation (s3rver) gives the same data and manifest.</summary>
[Trait("Category", "Integration")]
public sealed class CollectToS3Tests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    [Fact]
    public async Task A_run_into_s3rver_gives_the_same_files_and_manifest_as_a_local_run()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 21, Date = new DateOnly(2026, 11, 20) });
        var local = Directory.CreateTempSubdirectory("cloudinv-s3-local-").FullName;
        var downloads = Directory.CreateTempSubdirectory("cloudinv-s3-down-").FullName;
        try
        {
            CollectOptions Options(string store) => new()
            {
                Credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey)),
                EndpointUrl = cloud.Endpoint,
                Organization = true,
                RoleName = "inventory",
                Tables = ["aws_ec2_instances", "aws_ec2_subnets", "aws_s3_buckets", "aws_iam_roles", "aws_ecs_tasks"],
                Store = store,
                StoreOptions = s3.Options(""),
                RateMultiplier = 100,
                ReportTime = new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero),
            };
            var onDisk = await new InventoryCollector().RunAsync(Options(local));
            var inS3 = await new InventoryCollector().RunAsync(Options($"s3://{S3rverFixture.Bucket}/runs"));

            Assert.Equal(RunStatus.Complete, inS3.Manifest.Status);
            Assert.Equal(onDisk.Manifest.Tables.Select(t => (t.Table, t.AccountId, t.Region, t.Rows, t.Status)),
                inS3.Manifest.Tables.Select(t => (t.Table, t.AccountId, t.Region, t.Rows, t.Status)));
            Assert.Equal(onDisk.Manifest.Files.Select(f => (f.Table, f.Rows)), inS3.Manifest.Files.Select(f => (f.Table, f.Rows)));

            using var client = new AmazonS3Client(S3rverFixture.Credentials, new AmazonS3Config { ServiceURL = s3.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
            var manifest = await client.GetObjectAsync(S3rverFixture.Bucket, "runs/" + inS3.Manifest.Path);
            using (var reader = new StreamReader(manifest.ResponseStream))
            {
                Assert.Equal(inS3.Manifest.RunId, RunManifest.FromJson(await reader.ReadToEndAsync()).RunId);
            }
            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            foreach (var file in inS3.Manifest.Files)
            {
                // Byte-identical upload: the object's size and SHA-256 are the manifest's.
                var target = Path.Combine(downloads, file.Table + ".parquet");
                using (var response = await client.GetObjectAsync(S3rverFixture.Bucket, "runs/" + file.Path))
                {
                    await response.WriteResponseStreamToFileAsync(target, append: false, CancellationToken.None);
                }
                Assert.Equal(file.Bytes, new FileInfo(target).Length);
                Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(target))));
                // Same rows as the local run (runs write rows in the order units finish, so compare as sets).
                var mine = Path.Combine(local, onDisk.Manifest.Files.Single(f => f.Table == file.Table).Path);
                if (file.Table == "cloudinv_errors") continue;
                using var command = duck.CreateCommand();
                var a = $"read_parquet('{mine}', hive_partitioning = false)";
                var b = $"read_parquet('{target}', hive_partitioning = false)";
                command.CommandText = $"select count(*) from ((select * exclude (report_time) from {a} except all select * exclude (report_time) from {b}) union all (select * exclude (report_time) from {b} except all select * exclude (report_time) from {a}))";
                Assert.Equal(0L, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            Directory.Delete(local, recursive: true);
            Directory.Delete(downloads, recursive: true);
        }
    }
}
