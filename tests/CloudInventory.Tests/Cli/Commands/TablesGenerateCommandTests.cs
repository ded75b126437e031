using CloudInventory.Cli;
using System.Text.Json;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Cli.Commands;

public sealed class TablesGenerateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cloudinv-generate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // generate writes files and prints text: it takes no --format (TablesCommandTests.Run adds one).
    private static (int Code, string Output, string Error) Generate(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Invoke(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Generate_iam_writes_the_policy_for_the_selected_tables()
    {
        var (code, output, error) = Generate("generate", "iam", "--tables", "aws_s3_buckets", "--out", _dir);
        Assert.True(code == 0, error);
        Assert.Contains("actions in 1 policy documents", output, StringComparison.Ordinal);
        using var policy = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "cloudinv-read-1.json")));
        var actions = policy.RootElement.GetProperty("Statement")[0].GetProperty("Action").EnumerateArray().Select(a => a.GetString()).ToArray();
        Assert.Contains("s3:ListAllMyBuckets", actions);
        Assert.DoesNotContain(actions, a => a!.StartsWith("ec2:Describe", StringComparison.Ordinal) && a != "ec2:DescribeRegions");
        Assert.True(File.Exists(Path.Combine(_dir, "README.md")));
    }

    [Fact]
    public void A_glob_that_matches_nothing_is_bad_usage()
    {
        var (code, _, error) = Generate("generate", "iam", "--tables", "aws_nothing_*", "--out", _dir);
        Assert.Equal(2, code);
        Assert.StartsWith("error: --tables 'aws_nothing_*' matches no table", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_from_a_store_writes_glue_tables_only_for_the_tables_its_runs_have()
    {
        var store = Path.Combine(_dir, "store");
        var local = new LocalInventoryStore(store);
        var now = new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);
        await local.WriteManifestAsync(new RunManifest(RunManifest.NewRunId(now), null, new DateOnly(2026, 11, 20), now, now, now, RunStatus.Complete, "0.1.0", [],
            [new RunManifestTable("aws_ec2_vpcs", "111111111111", "us-east-1", 3, TableRunStatus.Ok), new RunManifestTable("aws_s3_buckets", "111111111111", "global", 2, TableRunStatus.Ok)],
            0, 10, 0, 1000));
        var output = Path.Combine(_dir, "out");
        var (code, stdout, error) = Generate("generate", "--from-store", store, "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains("for 2 tables", stdout, StringComparison.Ordinal);
        Assert.Equal(["aws_ec2.tf", "aws_s3.tf", "cloudinv.tf", "variables.tf"], Directory.GetFiles(Path.Combine(output, "deploy", "glue")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var glue = File.ReadAllText(Path.Combine(output, "deploy", "glue", "aws_ec2.tf"));
        Assert.Contains("resource \"aws_glue_catalog_table\" \"aws_ec2_vpcs\"", glue, StringComparison.Ordinal);
        Assert.DoesNotContain("aws_ec2_instances", glue, StringComparison.Ordinal);

        var (empty, _, emptyError) = Generate("generate", "--from-store", Path.Combine(_dir, "no-runs"), "--out", output);
        Assert.Equal(2, empty);
        Assert.StartsWith("error: ", emptyError, StringComparison.Ordinal);
    }
}
