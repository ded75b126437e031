using System.Diagnostics;
using CloudInventory.Cli;
using CloudInventory.Tests.Query;

namespace CloudInventory.Tests.Cli.Commands;

public sealed class CompletionCommandTests
{
    /// <summary>Runs the bash script in a real bash and completes the words given.</summary>
    private static string[] CompleteInBash(string script, params string[] words)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cloudinv-completion-{Guid.NewGuid():N}.bash");
        File.WriteAllText(file, script);
        try
        {
            var quoted = string.Join(' ', words.Select(w => $"'{w}'"));
            var start = new ProcessStartInfo("bash", ["-c", $"source '{file}'; COMP_WORDS=({quoted}); COMP_CWORD={words.Length - 1}; _cloudinv; printf '%s\\n' \"${{COMPREPLY[@]}}\""])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var bash = Process.Start(start)!;
            var output = bash.StandardOutput.ReadToEnd();
            var error = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.True(bash.ExitCode == 0, error);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_bash_script_completes_commands_subcommands_and_options_in_a_real_bash()
    {
        var (code, script, _) = CliRunner.Run("completion", "bash");
        Assert.Equal(0, code);
        Assert.Contains("query", CompleteInBash(script, "cloudinv", ""));
        var store = CompleteInBash(script, "cloudinv", "store", "");
        Assert.Contains("gc", store);
        Assert.DoesNotContain("query", store);
        Assert.Contains("--older-than", CompleteInBash(script, "cloudinv", "store", "gc", "--store", "./x", "--o"));
        Assert.Contains("--regions", CompleteInBash(script, "cloudinv", "collect", "--regi"));
    }

    [Theory]
    [InlineData("zsh", "bashcompinit")]
    [InlineData("fish", "complete -c cloudinv -f -n '__fish_use_subcommand' -a")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName cloudinv")]
    public void Writes_a_script_for_each_shell(string shell, string marker)
    {
        var (code, script, _) = CliRunner.Run("completion", shell);
        Assert.Equal(0, code);
        Assert.Contains(marker, script, StringComparison.Ordinal);
        Assert.Contains("store gc", script.Replace("'store gc'", "store gc", StringComparison.Ordinal).Replace("from gc", "store gc", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
