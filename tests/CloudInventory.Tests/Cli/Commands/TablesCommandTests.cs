using System.CommandLine;
using CloudInventory.Cli;

namespace CloudInventory.Tests.Cli.Commands;

public class TablesCommandTests
{
    internal static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // The human listing (the default on a terminal; tests redirect, where the default is csv).
        var code = CliApp.Invoke(args.Contains("--format") || args.Contains("completion") ? args : [.. args, "--format", "table"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Lists_tables_with_counts_per_service_and_totals()
    {
        var (code, output, _) = Run("tables");
        Assert.Equal(0, code);
        Assert.Contains("ec2 (", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  aws_ec2_instances +curated +regional ec2:DescribeInstances\r?\n", output);
        Assert.Matches(@"\n(\d+) tables in \d+ services: (\d+) curated, (\d+) discovered\.", output);
    }

    [Fact]
    public void Filters_by_glob()
    {
        var (code, output, _) = Run("tables", "--filter", "aws_s3_*");
        Assert.Equal(0, code);
        Assert.Contains("aws_s3_buckets", output, StringComparison.Ordinal);
        Assert.DoesNotContain("aws_ec2_", output, StringComparison.Ordinal);
        Assert.Contains("s3 (1 curated", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Shows_only_curated_or_only_discovered_tables()
    {
        var (_, curated, _) = Run("tables", "--curated", "--filter", "aws_ec2_*");
        Assert.DoesNotContain("discovered ", curated.Replace("discovered)", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("aws_ec2_vpcs", curated, StringComparison.Ordinal);
        var (_, discovered, _) = Run("tables", "--discovered", "--filter", "aws_ec2_*");
        Assert.DoesNotContain("aws_ec2_vpcs ", discovered, StringComparison.Ordinal);
        Assert.Contains(": 0 curated,", discovered, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_curated_and_discovered_together()
    {
        var (code, _, error) = Run("tables", "--curated", "--discovered");
        Assert.Equal(2, code);
        Assert.Contains("exclude each other", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_specs_from_a_directory_and_reports_an_invalid_one()
    {
        var dir = Directory.CreateTempSubdirectory("cloudinv-specs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "ec2.yaml"), "service: ec2\ntables:\n  - resource: vpcs\n    operation: DescribeVpcs\n    primary_key: [vpc_id]\n");
            var (code, output, _) = Run("tables", "--specs", dir, "--curated", "--filter", "aws_*");
            Assert.Equal(0, code);
            Assert.Contains("1 tables in 1 services: 1 curated, 0 discovered.", output, StringComparison.Ordinal);
            // The specs replace AWS's curated tables only: Azure's come from the embedded type models.
            (code, output, _) = Run("tables", "--specs", dir, "--filter", "azure_compute_virtual_machines");
            Assert.Equal(0, code);
            Assert.Contains("azure_compute_virtual_machines", output, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(dir, "ec2.yaml"), "service: ec2\ntables:\n  - resource: vpcs\n    operation: DescribeVpcz\n    primary_key: [vpc_id]\n");
            var (failed, _, error) = Run("describe", "aws_ec2_vpcs", "--specs", dir);
            Assert.Equal(2, failed);
            Assert.Contains("ec2.yaml: table 'aws_ec2_vpcs': operation: unknown operation 'DescribeVpcz' in ec2 (did you mean 'DescribeVpcs'?)", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
