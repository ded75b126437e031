using System.CommandLine;
using System.Text;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv completion bash|zsh|fish|pwsh</c>: a shell completion script for the commands, subcommands and options,
/// generated from the command tree itself (so it never falls behind). Load it with e.g.
/// <c>source &lt;(cloudinv completion bash)</c>.
/// </summary>
internal static class CompletionCommand
{
    public static readonly string[] Shells = ["bash", "zsh", "fish", "pwsh"];

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or pwsh." };
        shell.AcceptOnlyFromAmong(Shells);
        var command = new Command("completion", "Print a shell completion script: source <(cloudinv completion bash), or add it to your shell's profile.") { shell };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(Script(parse.GetValue(shell)!, parse.RootCommandResult.Command));
            return CliApp.Done;
        });
        return command;
    }

    /// <summary>Every command path (words below the root) with its subcommands and options.</summary>
    internal static IEnumerable<(string Path, string[] Subcommands, string[] Options)> Paths(Command root)
    {
        var recursive = root.Options.Where(o => o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name)).ToArray();
        var pending = new Stack<(string Path, Command Command)>();
        pending.Push(("", root));
        while (pending.Count > 0)
        {
            var (path, command) = pending.Pop();
            var subs = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToArray();
            var options = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(path.Length == 0 ? [] : recursive)
                .Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            yield return (path, subs, options);
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden).Reverse()) pending.Push((path.Length == 0 ? sub.Name : path + " " + sub.Name, sub));
        }
    }

    internal static string Script(string shell, Command root)
    {
        var paths = Paths(root).ToArray();
        var text = new StringBuilder();
        switch (shell)
        {
            case "fish":
                text.AppendLine("# cloudinv completion for fish: cloudinv completion fish > ~/.config/fish/completions/cloudinv.fish");
                foreach (var (path, subs, options) in paths)
                {
                    var words = path.Length == 0 ? [] : path.Split(' ');
                    var condition = path.Length == 0
                        ? "__fish_use_subcommand"
                        : $"__fish_seen_subcommand_from {words[^1]}" + (subs.Length == 0 ? "" : $"; and not __fish_seen_subcommand_from {string.Join(' ', subs)}");
                    if (subs.Length > 0) text.AppendLine($"complete -c cloudinv -f -n '{condition}' -a '{string.Join(' ', subs)}'");
                    foreach (var option in options) text.AppendLine($"complete -c cloudinv -n '{condition}' -l {option[2..]}");
                }
                break;
            case "pwsh":
                text.AppendLine("# cloudinv completion for PowerShell: cloudinv completion pwsh | Out-String | Invoke-Expression");
                text.AppendLine("$cloudinvWords = @{");
                foreach (var (path, subs, options) in paths) text.AppendLine($"  '{path}' = @({string.Join(", ", subs.Concat(options).Select(w => $"'{w}'"))})");
                text.AppendLine("}");
                text.AppendLine("Register-ArgumentCompleter -Native -CommandName cloudinv -ScriptBlock {");
                text.AppendLine("  param($wordToComplete, $commandAst, $cursorPosition)");
                text.AppendLine("  $path = ''");
                text.AppendLine("  foreach ($element in $commandAst.CommandElements | Select-Object -Skip 1) {");
                text.AppendLine("    $word = $element.ToString()");
                text.AppendLine("    if ($word -eq $wordToComplete) { break }");
                text.AppendLine("    $candidate = if ($path) { \"$path $word\" } else { $word }");
                text.AppendLine("    if ($cloudinvWords.ContainsKey($candidate)) { $path = $candidate }");
                text.AppendLine("  }");
                text.AppendLine("  $cloudinvWords[$path] | Where-Object { $_ -like \"$wordToComplete*\" } | ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }");
                text.AppendLine("}");
                break;
            default:
                text.AppendLine($"# cloudinv completion for {shell}: source <(cloudinv completion {shell})");
                if (shell == "zsh") text.AppendLine("autoload -U +X bashcompinit && bashcompinit");
                text.AppendLine("_cloudinv_subcommands() {");
                text.AppendLine("  case \"$1\" in");
                foreach (var (path, subs, _) in paths.Where(p => p.Subcommands.Length > 0)) text.AppendLine($"    \"{path}\") echo \"{string.Join(' ', subs)}\" ;;");
                text.AppendLine("  esac");
                text.AppendLine("}");
                text.AppendLine("_cloudinv_words() {");
                text.AppendLine("  case \"$1\" in");
                foreach (var (path, subs, options) in paths) text.AppendLine($"    \"{path}\") echo \"{string.Join(' ', subs.Concat(options))}\" ;;");
                text.AppendLine("  esac");
                text.AppendLine("}");
                text.AppendLine("_cloudinv() {");
                text.AppendLine("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"\" word i");
                text.AppendLine("  for ((i = 1; i < COMP_CWORD; i++)); do");
                text.AppendLine("    word=\"${COMP_WORDS[i]}\"");
                text.AppendLine("    if [[ \" $(_cloudinv_subcommands \"$path\") \" == *\" $word \"* ]]; then path=\"${path:+$path }$word\"; fi");
                text.AppendLine("  done");
                text.AppendLine("  COMPREPLY=($(compgen -W \"$(_cloudinv_words \"$path\")\" -- \"$cur\"))");
                text.AppendLine("}");
                text.AppendLine("complete -F _cloudinv cloudinv");
                break;
        }
        return text.ToString();
    }
}
