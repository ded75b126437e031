using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudInventory.Tests.Deploy;

[Trait("Category", "Integration")]
public class TerraformTests
{
    private static readonly string s_terraform = Path.Combine(RepositoryRoot.Path, "deploy", "terraform");

    private static (int Modules, int Resources, int References, string[] Problems) Check(params string[] directories)
    {
        using var result = JsonDocument.Parse(NpmPackages.RunNode("check-terraform.mjs", directories));
        var root = result.RootElement;
        return (root.GetProperty("modules").GetInt32(), root.GetProperty("resources").GetInt32(), root.GetProperty("references").GetInt32(),
            root.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Fact]
    public void The_modules_and_the_example_parse_resolve_every_reference_and_match_the_AWS_provider_schema()
    {
        NpmPackages.Directory("@cdktf/provider-aws");
        var (modules, resources, references, problems) = Check(
            Path.Combine(s_terraform, "examples", "organization"), Path.Combine(s_terraform, "modules", "collector"), Path.Combine(s_terraform, "modules", "member-role"));
        Assert.True(problems.Length == 0, string.Join('\n', problems));
        Assert.Equal(4, modules); // the example, collector, member-role, and the generated deploy/glue it calls
        Assert.True(resources > 30, $"{resources} resources");
        Assert.True(references > 100, $"{references} references");
    }

    [Fact]
    public async Task The_ecs_shards_of_one_schedule_are_numbered_from_one_and_form_one_run()
    {
        // What the collector module gives each shard's container: CLOUDINV_SHARD from its labels, CLOUDINV_JOB_NAME with
        // EventBridge Scheduler's scheduled time, which the scheduler fills in alike for every shard's schedule.
        var main = File.ReadAllText(Path.Combine(s_terraform, "modules", "collector", "main.tf"));
        var label = Regex.Match(main, @"shard_labels\s*=\s*\[for k in range\(var\.shards\) : ""\$\{(?<index>[^}]+)\}/\$\{var\.shards\}""\]");
        Assert.True(label.Success, "shard_labels not found in the collector module");
        Assert.Equal("k + 1", label.Groups["index"].Value.Trim());
        var job = Regex.Match(main, @"name = ""CLOUDINV_JOB_NAME"", value = ""\$\{var\.name\}(?<suffix>[^""]+)""");
        Assert.True(job.Success, "CLOUDINV_JOB_NAME not found in the collector module");
        Assert.Equal("@<aws.scheduler.scheduled-time>", job.Groups["suffix"].Value);

        const int shards = 2;
        var jobName = "cloudinv" + job.Groups["suffix"].Value.Replace("<aws.scheduler.scheduled-time>", "2026-12-02T03:00:00Z", StringComparison.Ordinal);
        await using var cloud = await CloudInventory.Simulator.SimulatedCloud.StartAsync(new CloudInventory.Simulator.SimulatorOptions { Seed = 37, Accounts = 2, Regions = ["us-east-1"] });
        var store = Directory.CreateTempSubdirectory("cloudinv-ecs-shards-").FullName;
        try
        {
            for (var k = 1; k <= shards; k++)
            {
                var env = new Dictionary<string, string> { ["CLOUDINV_SHARD"] = $"{k}/{shards}", ["CLOUDINV_JOB_NAME"] = jobName };
                CloudInventory.Cli.Commands.CollectCommand.Credentials.Value = CloudInventory.Aws.Credentials.AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey));
                CloudInventory.Cli.CliApp.EnvironmentOverride.Value = name => env.GetValueOrDefault(name);
                try
                {
                    var (code, _, err) = CloudInventory.Tests.Query.CliRunner.Run(["collect", "--store", store, "--endpoint-url", cloud.Endpoint.ToString(), "--tables", "aws_ec2_vpcs", "aws_s3_buckets", "--format", "json"]);
                    Assert.True(code == 0, $"shard {k}: {err}");
                }
                finally
                {
                    CloudInventory.Cli.Commands.CollectCommand.Credentials.Value = null;
                    CloudInventory.Cli.CliApp.EnvironmentOverride.Value = null;
                }
            }
            using var db = CloudInventory.Query.InventoryDatabase.Open(store, CloudInventory.Catalog.TableCatalog.Default);
            Assert.Equal(shards, Assert.Single(db.Runs).Manifests.Count); // one run of both shards
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Fact]
    public void The_check_finds_unknown_types_arguments_blocks_attributes_variables_and_module_inputs()
    {
        var dir = Directory.CreateTempSubdirectory("cloudinv-tf-bad-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "main.tf"), """
                variable "name" {
                  type = string
                }
                resource "aws_iam_role" "r" {
                  name                  = var.nam
                  assume_role_policy    = "{}"
                  max_session_durations = 3600
                }
                resource "aws_s3_bucket_lifecycle_configuration" "l" {
                  bucket = aws_s3_bucket.missing.id
                  rule {
                    id     = "a"
                    status = "Enabled"
                    expirations {
                      days = 1
                    }
                  }
                }
                resource "aws_no_such_thing" "x" {}
                module "m" {
                  source = "./sub"
                  wrong  = 1
                }
                output "o" {
                  value = "${aws_iam_role.r.arnx} ${module.m.nothing} ${local.none}"
                }
                """);
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            File.WriteAllText(Path.Combine(dir, "sub", "main.tf"), "variable \"needed\" {\n  type = string\n}\n");
            var (_, _, _, problems) = Check(dir);
            string[] expected =
            [
                "var.nam: no variable nam", "max_session_durations is not in the provider schema", "rule: expirations is not in the provider schema",
                "aws_s3_bucket.missing.id: no resource aws_s3_bucket.missing", "resource type aws_no_such_thing is not in the AWS provider",
                "module m passes wrong", "does not pass the required variable needed", "aws_iam_role has no attribute arnx",
                "module m has no output nothing", "no local none",
            ];
            foreach (var e in expected) Assert.Contains(problems, p => p.Contains(e, StringComparison.Ordinal));
            Assert.Equal(expected.Length, problems.Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
