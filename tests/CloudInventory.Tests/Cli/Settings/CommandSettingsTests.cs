using CloudInventory.Cli;
using CloudInventory.Tests.Query;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Cli.Settings;

/// <summary>One settings layer: flags > CLOUDINV_* environment > config file (command section, then top level) > default, for every command.</summary>
public sealed class CommandSettingsTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("cloudinv-settings-").FullName;

    public CommandSettingsTests() => Build(_store);

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(Dictionary<string, string> environment, params string[] args)
    {
        CliApp.EnvironmentOverride.Value = name => environment.GetValueOrDefault(name);
        try
        {
            return CliRunner.Run(args);
        }
        finally
        {
            CliApp.EnvironmentOverride.Value = null;
        }
    }

    private string Config(string yaml)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>config show's CSV as setting → (value, source).</summary>
    private static Dictionary<string, (string Value, string Source)> Shown(string csv) =>
        csv.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(c => c[0], c => (c[1], c[2]));

    [Fact]
    public void The_store_comes_from_CLOUDINV_STORE_for_the_query_commands()
    {
        var env = new Dictionary<string, string> { ["CLOUDINV_STORE"] = _store.Root };
        foreach (var args in new[] { new[] { "query", "select count(*) as n from current_aws_ec2_instances" }, ["trend", "--since", "2026-03-01"], ["diff", "--from", "2026-03-01"] })
        {
            var (code, _, err) = Run(env, args);
            Assert.True(code == 0, $"{args[0]}: {err}");
        }
        var (_, output, _) = Run(env, "query", "select count(*) as n from current_aws_ec2_instances", "--format", "csv");
        Assert.Equal("n\n7\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Flags_win_over_the_environment_which_wins_over_the_config_file_whose_command_section_wins_over_its_top_level()
    {
        var config = Config("""
            store: /from/config/top
            concurrency: 7
            max_attempts: 3
            collect:
              concurrency: 9
            store gc:
              older_than: 2d
            """);
        var env = new Dictionary<string, string> { ["CLOUDINV_MAX_ATTEMPTS"] = "4", ["CLOUDINV_CONFIG"] = config };
        var shown = Shown(Run(env, "config", "show", "--for", "collect", "--format", "csv", "--profile", "p1").Out);
        Assert.Equal(("p1", "flag --profile"), shown["profile"]);
        Assert.Equal(("4", "environment CLOUDINV_MAX_ATTEMPTS"), shown["max_attempts"]);
        Assert.Equal("9", shown["concurrency"].Value);
        Assert.EndsWith(":5", shown["concurrency"].Source, StringComparison.Ordinal);
        Assert.Equal("/from/config/top", shown["store"].Value);
        Assert.Equal(("", "unset"), shown["role_name"]);

        var top = Shown(Run(env, "config", "show", "--format", "csv").Out);
        Assert.Equal("7", top["concurrency"].Value);
        Assert.Equal("2d", Shown(Run(env, "config", "show", "--for", "store gc", "--format", "csv").Out)["older_than"].Value);
    }

    [Fact]
    public void Config_show_never_prints_a_secret()
    {
        var (code, output, _) = Run(new() { ["CLOUDINV_EXTERNAL_ID"] = "s3cr3t-external-id" }, "config", "show", "--format", "csv");
        Assert.Equal(0, code);
        Assert.DoesNotContain("s3cr3t", output, StringComparison.Ordinal);
        Assert.Contains("external_id,\"(set, not shown)\",environment CLOUDINV_EXTERNAL_ID", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--regions", "")]
    [InlineData("--regions", ",,,")]
    [InlineData("--accounts", " , ")]
    public void An_empty_list_is_bad_usage_not_a_run_of_nothing(string flag, string value)
    {
        var (code, _, err) = Run([], "collect", flag, value, "--store", Path.Combine(_dir, "never"));
        Assert.Equal(2, code);
        Assert.Contains("is empty", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "never")));
    }

    [Fact]
    public void An_empty_environment_variable_is_bad_usage_too()
    {
        var (code, _, err) = Run(new() { ["CLOUDINV_REGIONS"] = "" }, "collect", "--store", Path.Combine(_dir, "never"));
        Assert.Equal(2, code);
        Assert.Contains("--regions is empty (environment CLOUDINV_REGIONS)", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_file_with_an_unknown_setting_names_the_file_line_and_nearest_setting()
    {
        var config = Config("store: ./x\nconcurency: 3\n");
        var (code, _, err) = Run([], "query", "select 1", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains($"{config}:2: unknown setting 'concurency' (did you mean 'concurrency'?)", err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_old_singular_spellings_are_aliases()
    {
        var (code, output, err) = CliRunner.Run("diff", "--from", "2026-03-01", "--store", _store.Root, "--region", "eu-west-1", "--account", "111111111111", "--table", "aws_ec2_*", "--format", "csv");
        Assert.True(code == 0, err);
        Assert.StartsWith("table,change,key,column,old,new", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shard_comes_0_based_from_JOB_COMPLETION_INDEX_with_a_count()
    {
        var env = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0", ["CLOUDINV_SHARD_COUNT"] = "3" };
        CliApp.EnvironmentOverride.Value = name => env.GetValueOrDefault(name);
        try
        {
            var settings = new CloudInventory.Cli.Settings.CommandSettings(CloudInventory.Cli.Commands.CollectCommand.Bound);
            var command = new System.CommandLine.Command("collect");
            settings.AddTo(command);
            var root = new System.CommandLine.RootCommand { command };
            Assert.Equal("1/3", CloudInventory.Cli.Commands.CollectCommand.Shard(settings.Resolve(root.Parse(["collect"]))));
            env["JOB_COMPLETION_INDEX"] = "2";
            Assert.Equal("3/3", CloudInventory.Cli.Commands.CollectCommand.Shard(settings.Resolve(root.Parse(["collect"]))));
            Assert.Equal("2/4", CloudInventory.Cli.Commands.CollectCommand.Shard(settings.Resolve(root.Parse(["collect", "--shard", "2/4"]))));
            env["JOB_COMPLETION_INDEX"] = "3";
            Assert.Contains("not below the shard count", Assert.Throws<CliUsageException>(() => CloudInventory.Cli.Commands.CollectCommand.Shard(settings.Resolve(root.Parse(["collect"])))).Message, StringComparison.Ordinal);
            env.Remove("CLOUDINV_SHARD_COUNT");
            Assert.Contains("--shard-count", Assert.Throws<CliUsageException>(() => CloudInventory.Cli.Commands.CollectCommand.Shard(settings.Resolve(root.Parse(["collect"])))).Message, StringComparison.Ordinal);
        }
        finally
        {
            CliApp.EnvironmentOverride.Value = null;
        }
    }

    [Fact]
    public void The_default_format_is_csv_when_output_is_redirected_and_json_is_an_alias()
    {
        var (_, csv, _) = CliRunner.Run("query", "select 1 as a", "--store", _store.Root);
        Assert.Equal("a\n1\n", csv.ReplaceLineEndings("\n"));
        var (_, json, _) = CliRunner.Run("query", "select 1 as a", "--store", _store.Root, "--json");
        Assert.Equal("[{\"a\":1}]", string.Concat(json.Where(c => !char.IsWhiteSpace(c))));
        var (code, _, err) = CliRunner.Run("query", "select 1 as a", "--store", _store.Root, "--json", "--format", "csv");
        Assert.Equal(2, code);
        Assert.Contains("contradict", err, StringComparison.Ordinal);
    }
}
