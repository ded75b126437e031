using System.Diagnostics;
using System.Security.Cryptography;
using CloudInventory.Catalog;
using CloudInventory.Query;
using CloudInventory.Simulator;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Collection;

/// <summary>
/// Crash drill: `cloudinv collect` is killed (SIGKILL) at random points, twenty times. After every kill,
/// nothing incomplete is visible to the query layer; the next run succeeds, with no duplicate rows.
/// </summary>
public sealed class CrashDrillTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task Killing_the_collector_at_random_points_never_exposes_a_partial_run()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions
        {
            Seed = 9, Date = new DateOnly(2026, 11, 20), Latency = new LatencyDistribution(5, 30),
        });
        var store = Directory.CreateTempSubdirectory("cloudinv-crash-").FullName;
        var random = new Random(1234);
        var completed = 0;
        try
        {
            for (var i = 0; i < 20; i++)
            {
                using var process = Start(cloud, store);
                var killAfter = TimeSpan.FromMilliseconds(random.Next(200, 2500));
                var exited = process.WaitForExit(killAfter);
                if (!exited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
                else
                {
                    Assert.True(process.ExitCode == 0, $"run {i} exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
                    completed++;
                }
                AssertNothingIncompleteIsVisible(store);
            }

            using (var last = Start(cloud, store))
            {
                await last.WaitForExitAsync();
                Assert.True(last.ExitCode == 0, await last.StandardError.ReadToEndAsync());
            }
            AssertNothingIncompleteIsVisible(store);
            using var db = InventoryDatabase.Open(store, TableCatalog.Default);
            using var reader = db.ExecuteQuery(
                "select count(*), count(distinct (account_id, region, instance_id)) from current_aws_ec2_instances");
            Assert.True(reader.Read());
            Assert.True(reader.GetInt64(0) > 0);
            Assert.Equal(reader.GetInt64(1), reader.GetInt64(0)); // no duplicate rows
            Assert.True(completed < 20, "some runs should have been killed");
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    private static Process Start(SimulatedCloud cloud, string store)
    {
        var start = CloudInventory.Tests.Cli.CliProcess.StartInfo(cloud, ["collect", "--store", store, "--endpoint-url", cloud.Endpoint.ToString(), "--json",
            "--tables", "aws_ec2_instances", "aws_ec2_subnets", "aws_ec2_vpcs", "aws_s3_buckets", "aws_ecs_tasks", "aws_iam_roles"]);
        var process = Process.Start(start)!;
        process.StandardOutput.ReadToEndAsync();
        return process;
    }

    // Every manifest lists only files that exist whole (size and SHA-256), and queries see exactly the manifests' rows.
    private static void AssertNothingIncompleteIsVisible(string store)
    {
        var runsDir = Path.Combine(store, "_runs");
        if (!Directory.Exists(runsDir)) return;
        long manifestRows = 0;
        foreach (var path in Directory.EnumerateFiles(runsDir, "*.json", SearchOption.AllDirectories))
        {
            var manifest = RunManifest.FromJson(File.ReadAllText(path));
            foreach (var file in manifest.Files)
            {
                var full = Path.Combine(store, file.Path);
                Assert.True(File.Exists(full), $"{file.Path} is listed in {path} but missing");
                Assert.Equal(file.Bytes, new FileInfo(full).Length);
                Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full))));
                if (file.Table == "aws_ec2_instances") manifestRows += file.Rows;
            }
        }
        if (manifestRows == 0) return;
        using var db = InventoryDatabase.Open(store, TableCatalog.Default);
        using var reader = db.ExecuteQuery("select count(*) from aws_ec2_instances");
        Assert.True(reader.Read());
        Assert.Equal(manifestRows, reader.GetInt64(0));
    }
}
