using CloudInventory.Aws.Credentials;
using CloudInventory.Cli;
using CloudInventory.Cli.Commands;
using CloudInventory.Tests.Query;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Cli;

/// <summary>The house rules of the command line, for every command: exit codes in 0–3, one error line, never a stack trace.</summary>
public sealed class CliAppTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("cloudinv-cli-sweep-").FullName;

    public CliAppTests() => Build(_store);

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>Every command path of the tool (words below the root).</summary>
    private static string[] CommandPaths() => CompletionCommand.Paths(CliApp.Build()).Select(p => p.Path).Where(p => p.Length > 0).ToArray();

    /// <summary>For every command, arguments with one bad value (a new command must add its case here, or the sweep fails).</summary>
    private static readonly Dictionary<string, string[]> BadValues = new(StringComparer.Ordinal)
    {
        ["demo"] = ["--days", "abc"],
        ["collect"] = ["--concurrency", "0"],
        ["simulate"] = ["--error-rate", "NaN"],
        ["tables"] = ["--format", "yaml"],
        ["describe"] = ["aws_no_such_table"],
        ["generate"] = ["--specs", "/nonexistent/specs"],
        ["aws"] = ["frobnicate"],
        ["aws call"] = ["ec2", "DescribeRegions", "--output", "yaml"],
        ["aws services"] = ["--format", "yaml"],
        ["aws operations"] = ["no-such-service"],
        ["query"] = ["select 1", "--format", "yaml"],
        ["sql"] = ["--format", "yaml"],
        ["diff"] = ["--from", "7x"],
        ["trend"] = ["--since", "6m"],
        ["cache"] = ["frobnicate"],
        ["cache prune"] = ["--older-than", "6m"],
        ["store"] = ["frobnicate"],
        ["store gc"] = ["--older-than", "6m"],
        ["store check"] = ["--older-than", "6m"],
        ["generate iam"] = ["--tables", "aws_nothing_*"],
        ["serve"] = ["--listen", "0.0.0.0:8080"],
        ["config"] = ["frobnicate"],
        ["config show"] = ["--format", "yaml"],
        ["completion"] = ["tcsh"],
    };

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        // No real AWS: fake static credentials, loopback endpoints only, one attempt per call.
        CollectCommand.Credentials.Value = AwsCredentialSource.Static("AKIDSWEEP", "sweep-secret");
        AwsCommand.ConfigureClient.Value = o => o.Credentials = AwsCredentialSource.Static("AKIDSWEEP", "sweep-secret");
        CliApp.EnvironmentOverride.Value = name => name switch
        {
            "CLOUDINV_MAX_ATTEMPTS" => "1",
            "CLOUDINV_STORE" => Path.Combine(_scratch, "default-store"),
            _ => null,
        };
        try
        {
            return CliRunner.Run(args);
        }
        finally
        {
            CollectCommand.Credentials.Value = null;
            AwsCommand.ConfigureClient.Value = null;
            CliApp.EnvironmentOverride.Value = null;
        }
    }

    private static void AssertHouseRules((int Code, string Out, string Err) result, string what, params int[] codes)
    {
        Assert.True(codes.Contains(result.Code), $"{what}: exit {result.Code}, expected {string.Join(" or ", codes)}\n{result.Err}");
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", result.Err, StringComparison.Ordinal);
        if (result.Code != 0) Assert.True(result.Err.StartsWith("error: ", StringComparison.Ordinal), $"{what}: {result.Err}");
    }

    [Fact]
    public void Every_command_refuses_an_unknown_flag_with_exit_2_one_error_line_and_a_hint()
    {
        foreach (var path in CommandPaths())
        {
            var result = Run([.. path.Split(' '), "--no-such-flag"]);
            AssertHouseRules(result, $"{path} --no-such-flag", 2);
            var lines = result.Err.TrimEnd().Split('\n');
            Assert.True(lines.Length == 2 && lines[1].StartsWith("hint: ", StringComparison.Ordinal), $"{path}: {result.Err}");
            Assert.Contains("--no-such-flag", lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain("Usage:", result.Out + result.Err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_command_refuses_a_bad_value_with_exit_2_and_no_stack_trace()
    {
        var paths = CommandPaths();
        Assert.Empty(paths.Except(BadValues.Keys));
        foreach (var path in paths)
        {
            var args = path.Split(' ').Concat(BadValues[path]).ToArray();
            AssertHouseRules(Run(args), string.Join(' ', args), 2);
        }
    }

    /// <summary>serve's schedule flags, each with one bad value, and the message that names it.</summary>
    [Theory]
    [InlineData("--schedule", "every day", "has 2 fields")]
    [InlineData("--schedule", "61 * * * *", "is not a cron expression")]
    [InlineData("--schedule-timezone", "Mars/Olympus_Mons", "is not a time zone")]
    [InlineData("--schedule-jitter", "6m", "expects a duration")]
    [InlineData("--schedule-jitter", "2h", "is not shorter than the shortest gap")]
    [InlineData("--ready-max-age", "soon", "expects a duration")]
    [InlineData("--stop-grace", "-5s", "expects a duration")]
    [InlineData("--log-format", "xml", "is not text or json")]
    [InlineData("--concurrency", "0", "is not a positive whole number")]
    [InlineData("--shard", "5/4", "must be k/n")]
    public void Serve_refuses_a_bad_schedule_value_with_exit_2_and_one_line_naming_it(string flag, string value, string message)
    {
        var args = flag == "--schedule" ? new[] { "serve", flag, value } : ["serve", "--schedule", "0 * * * *", flag, value];
        var result = Run(args);
        AssertHouseRules(result, string.Join(' ', args), 2);
        Assert.Contains(flag == "--log-format" ? "log_format" : flag, result.Err, StringComparison.Ordinal);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cloudinv@tomorrow", "does not end in a scheduled time after '@'")]
    [InlineData("cloudinv-collect", "ends neither in a CronJob's scheduled time")]
    public void Collect_refuses_a_job_name_without_a_scheduled_time_with_exit_2_and_one_line(string job, string message)
    {
        var store = Directory.CreateTempSubdirectory("cloudinv-job-name-").FullName;
        try
        {
            var args = new[] { "collect", "--store", store, "--shard", "1/2", "--job-name", job };
            var result = Run(args);
            AssertHouseRules(result, string.Join(' ', args), 2);
            Assert.Contains(message, result.Err, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(store));
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Theory]
    [InlineData("--regions", "us-east-1")]
    [InlineData("--schedule-jitter", "5min")]
    [InlineData("--ready-max-age", "2d")]
    public void Serve_refuses_collect_and_schedule_flags_without_a_schedule(string flag, string value)
    {
        var result = Run("serve", flag, value);
        AssertHouseRules(result, $"serve {flag} {value}", 2);
        Assert.Contains($"{flag} only applies to scheduled collections", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_store_command_says_when_the_store_is_missing()
    {
        var missing = Path.Combine(_scratch, "absent");
        var cases = new[]
        {
            new[] { "query", "select 1", "--store", missing },
            ["sql", "--store", missing],
            ["diff", "--from", "1d", "--store", missing],
            ["trend", "--store", missing],
            ["store", "gc", "--store", missing],
        };
        foreach (var args in cases)
        {
            var result = Run(args);
            AssertHouseRules(result, string.Join(' ', args), 2);
            Assert.Contains("does not exist", result.Err, StringComparison.Ordinal);
        }
        // collect into a store that cannot be created (below a file): exit 2, nothing written.
        var file = Path.Combine(_scratch, "a-file");
        File.WriteAllText(file, "x");
        AssertHouseRules(Run("collect", "--store", Path.Combine(file, "store"), "--endpoint-url", "http://127.0.0.1:1"), "collect into a store below a file", 1, 2);
    }

    [Fact]
    public void Every_command_with_an_endpoint_reports_an_unreachable_one_in_one_line()
    {
        var cases = new[]
        {
            new[] { "collect", "--endpoint-url", "http://127.0.0.1:1", "--store", Path.Combine(_scratch, "collected") },
            ["aws", "call", "ec2", "DescribeRegions", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:1"],
            ["query", "select 1", "--store", "s3://cloudinv-absent/x", "--endpoint-url", "http://127.0.0.1:1", "--cache-dir", _scratch],
            ["store", "gc", "--store", "s3://cloudinv-absent/x", "--endpoint-url", "http://127.0.0.1:1"],
            ["cache", "prune", "--store", "s3://cloudinv-absent/x", "--endpoint-url", "http://127.0.0.1:1", "--cache-dir", _scratch],
        };
        foreach (var args in cases)
        {
            AssertHouseRules(Run(args), string.Join(' ', args), 1, 2);
        }
        // collect: AWS unreachable at start-up is "unavailable, try again" (exit 1), not "the credentials do not work".
        var collect = Run(cases[0]);
        Assert.Equal(1, collect.Code);
        Assert.Contains("unavailable at start-up", collect.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("credentials", collect.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Collects_azure_options_refuse_bad_values_with_exit_2_and_one_line()
    {
        var store = Path.Combine(_scratch, "azure-bad");
        var cases = new[]
        {
            (new[] { "collect", "--clouds", "gcp", "--store", store }, "'gcp' is not a cloud"),
            (["collect", "--subscriptions", "not-a-guid", "--store", store], "is not a subscription id"),
            (["collect", "--exclude-subscriptions", "not-a-guid", "--clouds", "azure", "--store", store], "is not a subscription id"),
            (["collect", "--clouds", "azure", "--azure-endpoint", "http://127.0.0.1:1", "--store", store], "is not an https URL"),
            (["collect", "--clouds", "aws", "--subscriptions", "00000000-0000-0000-0000-000000000001", "--store", store], "add azure to --clouds"),
            (["collect", "--clouds", "azure", "--tables", "aws_ec2_instances", "--store", store], "matches only aws tables"),
            (["collect", "--management-group", "", "--store", store], "empty"),
            (["simulate", "--azure", "--azure-port", "70000"], "--azure-port 70000 is not a port number"),
            (["simulate", "--azure", "--subscriptions", "0"], "--subscriptions 0 must be between 1 and 1000"),
        };
        foreach (var (args, message) in cases)
        {
            var result = Run(args);
            AssertHouseRules(result, string.Join(' ', args), 2);
            Assert.Contains(message, result.Err, StringComparison.OrdinalIgnoreCase);
            Assert.Single(result.Err.TrimEnd().Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        }
        Assert.False(Directory.Exists(store) && Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void An_sql_error_exits_1_and_a_store_error_exits_2()
    {
        var sqlError = Run("query", "select * from no_such_table", "--store", _store.Root);
        AssertHouseRules(sqlError, "sql error", 1);
        Assert.Single(sqlError.Err.TrimEnd().Split('\n'));
        AssertHouseRules(Run("describe", "aws_ec2_instancez"), "unknown table", 2);
    }

    [Fact]
    public async Task An_unexpected_failure_is_one_line_and_the_detail_comes_with_verbose()
    {
        var stderr = new StringWriter();
        var code = await CliApp.ReportAsync(new InvalidOperationException("boom"), stderr, verbose: false);
        Assert.Equal(1, code);
        Assert.Equal("error: boom (InvalidOperationException); run with --verbose for the details", stderr.ToString().TrimEnd());
        var verbose = new StringWriter();
        await CliApp.ReportAsync(new InvalidOperationException("boom"), verbose, verbose: true);
        Assert.Contains("System.InvalidOperationException: boom", verbose.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_flag_gets_a_suggestion()
    {
        var (code, _, err) = Run("query", "select 1", "--stor", _store.Root);
        Assert.Equal(2, code);
        Assert.Contains("did you mean --store?", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_names_the_tool_and_the_model_bundle()
    {
        var (code, output, _) = Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^cloudinv \d+\.\d+\.\d+", output);
        Assert.Contains("AWS models: aws-sdk@", output, StringComparison.Ordinal);
        Assert.Contains("Azure models: Azure.Bicep.Types.Az@0.", output, StringComparison.Ordinal);
    }
}
