using System.Text.Json;

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
