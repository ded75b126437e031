using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using CloudInventory.Query;

namespace CloudInventory.Cli;

/// <summary>
/// The cloudinv command line. Exit codes everywhere: 0 done, 1 failed, 2 bad usage, options, credentials or store,
/// 3 partial. A parse error or an exception never reaches the user as a stack trace: one <c>error:</c> line,
/// the detail behind <c>--verbose</c>.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code: done.</summary>
    public const int Done = 0;

    /// <summary>Exit code: failed (a SQL error, an AWS service that is unavailable, an unexpected failure).</summary>
    public const int Failed = 1;

    /// <summary>Exit code: bad usage, options, credentials or store.</summary>
    public const int Usage = 2;

    /// <summary>Exit code: partial (some units or partitions failed; the rest is done).</summary>
    public const int Partial = 3;

    /// <summary>Lets tests give environment variables without touching the process's (parallel tests do not see each other's).</summary>
    internal static AsyncLocal<Func<string, string?>?> EnvironmentOverride { get; } = new();

    /// <summary>Reads an environment variable (or the tests' override).</summary>
    internal static string? Environment(string name) => (EnvironmentOverride.Value ?? System.Environment.GetEnvironmentVariable)(name);

    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Cloud Inventory: snapshots of your whole cloud footprint as Parquet, answered in SQL.");
        root.Options.Add(new Option<string?>("--config")
        {
            Description = "A YAML file of settings (snake_case names; per-command sections). [CLOUDINV_CONFIG]",
            Recursive = true,
        });
        root.Options.Add(new Option<bool>("--verbose") { Description = "On failure, print the full detail (stack trace) too.", Recursive = true });
        foreach (var option in root.Options.OfType<VersionOption>()) option.Action = new VersionAction();
        foreach (var add in Registrations) add(root);
        return root;
    }

    /// <summary>
    /// The commands, one registration each (a new command adds one line here): each adds itself, and any
    /// subcommands, to the root.
    /// </summary>
    private static readonly Action<RootCommand>[] Registrations =
    [
        root => root.Add(Commands.DemoCommand.Create()),
        root => root.Add(Commands.CollectCommand.Create()),
        root => root.Add(Commands.SimulateCommand.Create()),
        Commands.TablesCommand.AddTo,
        root => root.Add(Commands.AwsCommand.Create()),
        Commands.QueryCommand.AddTo,
        root => root.Add(Commands.CacheCommand.Create(() => DateOnly.FromDateTime(DateTime.UtcNow))),
        root => root.Add(Commands.StoreCommand.Create()),
        root => root.Add(Commands.ServeCommand.Create()),
        root => root.Add(Commands.ConfigCommand.Create()),
        root => root.Add(Commands.CompletionCommand.Create()),
    ];

    /// <summary>Runs the command line.</summary>
    public static Task<int> RunAsync(string[] args) => InvokeAsync(args, null, null);

    /// <summary>Runs the command line with its output and errors going to the given writers (tests).</summary>
    public static int Invoke(string[] args, TextWriter? output, TextWriter? error) =>
        Task.Run(() => InvokeAsync(args, output, error)).GetAwaiter().GetResult();

    /// <summary>Parses and runs, applying the house rules for parse errors and exceptions.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter? output, TextWriter? error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        error ??= Console.Error;
        var parse = Build().Parse(args);
        StartupTrace.Mark("command line parsed");
        var verbose = args.Contains("--verbose", StringComparer.Ordinal);
        var stray = StrayOption(parse);
        if ((parse.Errors.Count > 0 || stray is not null) && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            await error.WriteLineAsync("error: " + Describe(parse, stray)).ConfigureAwait(false);
            var path = string.Join(' ', Settings.CommandSettings.CommandPath(parse));
            await error.WriteLineAsync($"hint: `cloudinv {(path.Length == 0 ? "" : path + " ")}--help` lists the options").ConfigureAwait(false);
            return Usage;
        }
        try
        {
            // serve handles SIGTERM/Ctrl+C itself: a scheduled run in flight gets a grace period longer than the default 2 s.
            var ownSignals = parse.CommandResult.Command.Name == Commands.ServeCommand.Name;
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output, Error = error, EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = ownSignals ? null : TimeSpan.FromSeconds(2),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return await ReportAsync(e, error, verbose).ConfigureAwait(false);
        }
    }

    /// <summary>An unknown <c>--option</c> the parser took as an argument's value (before any <c>--</c>), or null.</summary>
    private static string? StrayOption(ParseResult parse)
    {
        foreach (var token in parse.Tokens)
        {
            if (token.Type == System.CommandLine.Parsing.TokenType.DoubleDash) return null;
            if (token.Type == System.CommandLine.Parsing.TokenType.Argument && token.Value.Length > 2 && token.Value.StartsWith("--", StringComparison.Ordinal)
                && char.IsAsciiLetter(token.Value[2]))
            {
                return token.Value;
            }
        }
        return null;
    }

    private static string Describe(ParseResult parse, string? stray)
    {
        var first = parse.Errors.Count > 0 ? parse.Errors[0].Message.TrimEnd('.') : "";
        var unknown = stray ?? parse.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-'));
        if (unknown is not null)
        {
            var names = parse.CommandResult.Command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive))
                .SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct(StringComparer.Ordinal).ToArray();
            var near = CloudInventory.Text.EditDistance.Closest(unknown.Split('=')[0], names);
            first = $"unknown option '{unknown}'{(near is null ? "" : $" (did you mean {near}?)")}";
        }
        return parse.Errors.Count <= 1 ? first : $"{first} (and {parse.Errors.Count - 1} more)";
    }

    /// <summary>Writes an exception as one <c>error:</c> line (the full detail with <c>--verbose</c>) and returns the exit code it means.</summary>
    internal static async Task<int> ReportAsync(Exception exception, TextWriter error, bool verbose)
    {
        var e = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        var (code, message) = e switch
        {
            CliUsageException => (Usage, e.Message),
            InventoryQueryException => (Usage, e.Message),
            OperationCanceledException => (130, "interrupted"),
            _ => (Failed, $"{FirstLine(e.Message)} ({e.GetType().Name}){(verbose ? "" : "; run with --verbose for the details")}"),
        };
        await error.WriteLineAsync("error: " + OneLine(message)).ConfigureAwait(false);
        if (verbose) await error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
        return code;
    }

    private static string FirstLine(string message) => message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    /// <summary>A message on one line.</summary>
    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The version of the tool, and of the AWS and Azure models it embeds.</summary>
    internal static string VersionText()
    {
        var info = ToolVersionInfo.Current;
        var commit = info.Commit is { } c ? $" (commit {c[..Math.Min(12, c.Length)]})" : "";
        return $"cloudinv {info.Version}{commit}\nAWS models: {info.AwsModels}, {CloudInventory.Aws.Models.AwsModelBundle.Default.Services.Count} services\nAzure models: {CloudInventory.Azure.Models.AzureModelBundle.EmbeddedSource()}\nstore format {ToolVersionInfo.StoreFormat}";
    }

    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(VersionText());
            return Done;
        }
    }
}
