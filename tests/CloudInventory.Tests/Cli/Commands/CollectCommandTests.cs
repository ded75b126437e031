using System.CommandLine;
using System.Text.Json;
using CloudInventory.Aws.Credentials;
using CloudInventory.Cli;
using CloudInventory.Cli.Commands;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Cli.Commands;

public sealed class CollectCommandTests : IAsyncLifetime
{
    private SimulatedCloud _cloud = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("cloudinv-cli-collect-").FullName;

    public async Task InitializeAsync() => _cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 2, Date = new DateOnly(2026, 11, 20) });

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        CollectCommand.Credentials.Value = AwsCredentialSource.Static(_cloud.ManagementAccessKey, _cloud.SecretFor(_cloud.ManagementAccessKey));
        try
        {
            var code = await CliApp.InvokeAsync(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            CollectCommand.Credentials.Value = null;
        }
    }

    [Fact]
    public async Task Collects_from_a_config_file_and_flags_and_prints_a_json_summary()
    {
        var config = Path.Combine(_dir, "cloudinv.yaml");
        await File.WriteAllTextAsync(config, $"""
            org: true
            role_name: inventory
            tables: [aws_ec2_vpcs, aws_s3_buckets]
            store: {Path.Combine(_dir, "store")}
            """);
        var (code, stdout, stderr) = await RunAsync("collect", "--config", config, "--endpoint-url", _cloud.Endpoint.ToString(), "--regions", "us-east-1", "--json");
        Assert.True(code == 0, stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal("complete", summary.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, summary.RootElement.GetProperty("tables").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("accounts").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(_dir, "store", summary.RootElement.GetProperty("manifest").GetString()!)));
    }

    [Theory]
    [InlineData("aws/ec2")]  // a table's folder (an alias of a folder elsewhere)
    [InlineData("_runs")]    // the manifests' folder
    public async Task A_store_folder_linked_out_of_the_store_is_never_written_through_and_the_run_stays_invisible(string linked)
    {
        var store = Path.Combine(_dir, "linked-store");
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(store, linked))!);
        File.CreateSymbolicLink(Path.Combine(store, linked), outside);

        var (code, stdout, stderr) = await RunAsync("collect", "--store", store, "--org", "--role-name", "inventory", "--endpoint-url", _cloud.Endpoint.ToString(),
            "--regions", "us-east-1", "--tables", "aws_ec2_vpcs", "--json");

        Assert.True(code == 2, $"exit {code}: {stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("no manifest was written", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside)); // nothing written through the link
        Assert.Empty(Directory.Exists(Path.Combine(store, "_runs")) && linked != "_runs"
            ? Directory.EnumerateFiles(Path.Combine(store, "_runs"), "*.json", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task An_alias_folder_inside_the_store_is_neither_written_through_nor_double_counted()
    {
        var store = Path.Combine(_dir, "alias-store");
        string[] Collect() => ["collect", "--store", store, "--org", "--role-name", "inventory", "--endpoint-url", _cloud.Endpoint.ToString(),
            "--regions", "us-east-1", "--tables", "aws_ec2_vpcs", "--json"];
        var first = await RunAsync(Collect());
        Assert.True(first.Code == 0, first.Stderr);
        var listed = Directory.EnumerateFiles(Path.Combine(store, "aws", "ec2", "vpcs"), "*.parquet", SearchOption.AllDirectories).ToArray();
        Directory.CreateSymbolicLink(Path.Combine(store, "aws", "ec2", "vpcs_old"), Path.Combine(store, "aws", "ec2", "vpcs"));

        var second = await RunAsync(Collect());

        Assert.True(second.Code == 0, second.Stderr);
        Assert.All(listed, f => Assert.True(File.Exists(f), $"{f} was deleted"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(store, "aws", "ec2", "vpcs_old"), "*.tmp-*", SearchOption.AllDirectories));
        // Queries read what the manifests list, once: the alias adds no rows.
        var (code, stdout, stderr) = await RunAsync("query", "select count(*) = count(distinct (vpc_id, account_id, region, report_time)) as once from aws_ec2_vpcs", "--store", store, "--format", "csv");
        Assert.True(code == 0, stderr);
        Assert.Equal("once\ntrue", stdout.Trim().Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Collects_aws_and_azure_in_one_run_into_one_store_and_one_manifest_from_one_config_file()
    {
        await using var azure = await CloudInventory.Tests.Azure.AzureSimulatorSession.StartAsync(o => o.Subscriptions = 2);
        var world = azure.Simulator.World;
        var excluded = world.Subscriptions[0].Id;
        var config = Path.Combine(_dir, "both.yaml");
        await File.WriteAllTextAsync(config, $"""
            org: true
            role_name: inventory
            regions: [us-east-1]
            clouds: [aws, azure]
            tables: [aws_ec2_vpcs, azure_resources, azure_compute_virtual_machines]
            exclude_subscriptions: [{excluded}]
            azure_endpoint: {azure.Simulator.Endpoint}
            store: {Path.Combine(_dir, "both")}
            """);
        CollectCommand.AzureConnection.Value = (azure.Credential(), azure.Transport);
        try
        {
            var (code, stdout, stderr) = await RunAsync("collect", "--config", config, "--endpoint-url", _cloud.Endpoint.ToString(), "--json");
            Assert.True(code == 0, stderr);
            using var summary = JsonDocument.Parse(stdout);
            Assert.Equal("complete", summary.RootElement.GetProperty("status").GetString());
            var accounts = summary.RootElement.GetProperty("accounts").EnumerateArray().Select(a => a.GetString()!).ToList();
            var subscriptions = world.Subscriptions.Where(s => s.State == "Enabled" && s.Id != excluded).Select(s => s.Id).ToList();
            Assert.All(subscriptions, s => Assert.Contains(s, accounts));
            Assert.DoesNotContain(excluded, accounts);
            Assert.Equal(2 + subscriptions.Count, accounts.Count);
            var manifest = Path.Combine(_dir, "both", summary.RootElement.GetProperty("manifest").GetString()!);
            var text = await File.ReadAllTextAsync(manifest);
            Assert.Contains("aws/ec2/vpcs/report_date=", text, StringComparison.Ordinal);
            Assert.Contains("azure/resources/report_date=", text, StringComparison.Ordinal);
        }
        finally
        {
            CollectCommand.AzureConnection.Value = null;
        }
    }

    [Fact]
    public async Task A_malformed_or_unknown_setting_in_the_config_names_the_file_and_line()
    {
        var config = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(config, "store: ./x\nregion: [us-east-1]\n");
        var (code, _, stderr) = await RunAsync("collect", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains($"{config}:2: unknown setting 'region' (did you mean 'regions'?)", stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(config, "store: [unclosed\n");
        (code, _, stderr) = await RunAsync("collect", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("invalid YAML", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_options_give_one_line_and_exit_2()
    {
        var (code, _, stderr) = await RunAsync("collect", "--endpoint-url", _cloud.Endpoint.ToString(), "--tables", "aws_nope_*", "--store", Path.Combine(_dir, "s"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: no table matches 'aws_nope_*'", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await RunAsync("collect", "--endpoint-url", "not a url");
        Assert.Equal(2, code);
        Assert.Contains("not an absolute http(s) URL", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await RunAsync("collect", "--ou", "Production");
        Assert.Equal(2, code);
        Assert.Contains("--ou and --exclude-ou need --org", stderr, StringComparison.Ordinal);
    }
}
