using System.CommandLine;
using System.Globalization;
using CloudInventory.Aws.Credentials;
using CloudInventory.Cli.Settings;
using CloudInventory.Collection;
using Spectre.Console;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv collect</c>: takes a snapshot of every account, region and table into the store.
/// Exit codes: 0 complete, 3 partial (some calls failed; see cloudinv_errors), 1 failed (also: AWS was unavailable or
/// throttled at start-up, so try again later), 2 bad options or nothing could start (credentials, store).
/// </summary>
internal static class CollectCommand
{
    /// <summary>Lets tests supply credentials (the simulator's) without touching the environment.</summary>
    internal static readonly AsyncLocal<AwsCredentialSource?> Credentials = new();

    /// <summary>Lets tests supply an Azure credential and transport (the simulator's CA) without touching the environment.</summary>
    internal static readonly AsyncLocal<(global::Azure.Core.TokenCredential Credential, global::Azure.Core.Pipeline.HttpPipelineTransport? Transport)?> AzureConnection = new();

    /// <summary>The settings collect binds.</summary>
    internal static readonly Setting[] Bound =
    [
        CliSettings.Profile, CliSettings.Accounts, CliSettings.Organization, CliSettings.OrganizationalUnits, CliSettings.ExcludedOrganizationalUnits,
        CliSettings.RoleName, CliSettings.ExternalId, CliSettings.Regions, CliSettings.Tables with { Help = "Table globs, e.g. 'aws_ec2_*' (default: every curated table of --clouds)." },
        CliSettings.Clouds, CliSettings.Subscriptions, CliSettings.ManagementGroup, CliSettings.ExcludedSubscriptions, CliSettings.AzureEndpoint,
        CliSettings.Store, CliSettings.Shard, CliSettings.ShardCount, CliSettings.RunId, CliSettings.JobName, CliSettings.EndpointUrl, CliSettings.Concurrency, CliSettings.MaxAttempts, CliSettings.LogFormat,
    ];

    public static Command Create()
    {
        var settings = new CommandSettings(Bound).WithFormats(QueryResultWriter.RowFormats);
        var command = new Command("collect", "Take a snapshot of every account, region and table into the store.");
        settings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var values = settings.Resolve(parse);
            var options = ToOptions(values);
            CollectTelemetry telemetry;
            try
            {
                telemetry = CollectTelemetry.Start(values.Text(CliSettings.LogFormat), Environment.GetEnvironmentVariable);
            }
            catch (FormatException e)
            {
                throw new CliUsageException(e.Message, e);
            }
            using var flushed = telemetry;
            options.Logger = telemetry.Logger;
            var logging = options.Logger is not null;
            var format = values.Format;
            var live = format == "table" && !logging && !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out) && AnsiConsole.Profile.Capabilities.Interactive;
            try
            {
                CollectionResult result;
                if (live)
                {
                    result = await RunLiveAsync(options, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var reporter = format == "table" && !logging ? new PlainProgress(output) : null;
                    result = await new InventoryCollector().RunAsync(options, reporter, cancellationToken).ConfigureAwait(false);
                    reporter?.Flush();
                }
                switch (format)
                {
                    case "table": await WriteSummaryAsync(output, result).ConfigureAwait(false); break;
                    case "json": QueryResultWriter.WriteDocument(Summary(result), output); break;
                    default:
                        var summary = Summary(result);
                        QueryResultWriter.WriteRows([.. summary.Keys], [[.. summary.Values.Select(v => v is string[] list ? string.Join(",", list) : v)]], format, output, values.Terminal);
                        break;
                }
                return result.ExitCode;
            }
            catch (CollectionException e)
            {
                if (options.Logger is { } logger) CollectLog.RunFailedToStart(logger, e.Message);
                await error.WriteLineAsync($"error: {CliApp.OneLine(e.Message)}").ConfigureAwait(false);
                return e.InnerException is CloudInventory.Aws.Client.AwsApiException { IsAccessDenied: false } or CloudInventory.Azure.AzureApiException { IsUnavailable: true }
                    ? CliApp.Failed : CliApp.Usage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("interrupted: nothing of this run was published (no manifest was written)").ConfigureAwait(false);
                return 130;
            }
        });
        return command;
    }

    /// <summary>The collect options the settings name (also each scheduled run's in <c>serve --schedule</c>).</summary>
    /// <exception cref="CliUsageException">A value is not usable.</exception>
    internal static CollectOptions ToOptions(SettingValues s)
    {
        var regions = s.IsGiven(CliSettings.Regions) ? s.List(CliSettings.Regions) : null;
        var options = new CollectOptions
        {
            Profile = s.Text(CliSettings.Profile),
            Credentials = Credentials.Value,
            Accounts = s.List(CliSettings.Accounts),
            Organization = s.Switch(CliSettings.Organization),
            IncludeOrganizationalUnits = s.List(CliSettings.OrganizationalUnits),
            ExcludeOrganizationalUnits = s.List(CliSettings.ExcludedOrganizationalUnits),
            RoleName = s.Text(CliSettings.RoleName),
            ExternalId = s.Text(CliSettings.ExternalId),
            Regions = regions,
            Tables = s.List(CliSettings.Tables),
            Store = s.Text(CliSettings.Store) ?? QueryCommand.DefaultStore,
            Shard = Shard(s),
            RunId = s.Text(CliSettings.RunId) ?? JobRunId(s),
            Concurrency = s.Number(CliSettings.Concurrency) ?? 32,
            MaxAttempts = s.Number(CliSettings.MaxAttempts) ?? 5,
        };
        options.EndpointUrl = s.Url(CliSettings.EndpointUrl) ?? ProfileEndpoint.For(options.Profile);
        if ((options.IncludeOrganizationalUnits.Count > 0 || options.ExcludeOrganizationalUnits.Count > 0) && !options.Organization)
            throw new CliUsageException("--ou and --exclude-ou need --org");
        options.Clouds = s.IsGiven(CliSettings.Clouds) ? s.List(CliSettings.Clouds).Select(c => CloudOf(c, s.SourceOf(CliSettings.Clouds))).Distinct().ToList() : null;
        options.Azure = new AzureCollectOptions
        {
            Subscriptions = s.List(CliSettings.Subscriptions),
            ManagementGroup = s.Text(CliSettings.ManagementGroup),
            ExcludeSubscriptions = s.List(CliSettings.ExcludedSubscriptions),
            Endpoint = s.IsGiven(CliSettings.AzureEndpoint) ? AzureEndpoint(s.Text(CliSettings.AzureEndpoint)!, s.SourceOf(CliSettings.AzureEndpoint)) : null,
            Credential = AzureConnection.Value?.Credential,
            Transport = AzureConnection.Value?.Transport,
        };
        foreach (var id in options.Azure.Subscriptions.Concat(options.Azure.ExcludeSubscriptions))
        {
            if (!Guid.TryParse(id, out _)) throw new CliUsageException($"subscription '{id}' is not a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)");
        }
        var azureScope = options.Azure.Subscriptions.Count > 0 || options.Azure.ManagementGroup is not null || options.Azure.ExcludeSubscriptions.Count > 0;
        if (azureScope && options.Clouds is { } clouds && !clouds.Contains(CloudInventory.Catalog.Cloud.Azure))
            throw new CliUsageException("--subscriptions, --management-group and --exclude-subscriptions choose Azure subscriptions; add azure to --clouds");
        if (azureScope && options.Clouds is null && options.Tables.Count == 0) options.Clouds = [CloudInventory.Catalog.Cloud.Azure];
        return options;
    }

    private static CloudInventory.Catalog.Cloud CloudOf(string text, string source) => text.ToLowerInvariant() switch
    {
        "aws" => CloudInventory.Catalog.Cloud.Aws,
        "azure" => CloudInventory.Catalog.Cloud.Azure,
        _ => throw new CliUsageException($"--clouds ({source}): '{text}' is not a cloud; use aws, azure or both (aws,azure)"),
    };

    private static Uri AzureEndpoint(string text, string source)
    {
        try
        {
            return CloudInventory.Azure.AzureClientOptions.ParseEndpoint(text, $"--azure-endpoint ({source})");
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message, e);
        }
    }

    /// <summary>
    /// The shard as k/n (1-based): --shard (or its environment/config), else <c>$JOB_COMPLETION_INDEX</c> (0-based, set by
    /// Kubernetes Indexed Jobs) with shard_count; the index alone, without a count, is refused.
    /// </summary>
    internal static string? Shard(SettingValues s)
    {
        if (s.Text(CliSettings.Shard) is { } shard)
        {
            var parts = shard.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || k < 1 || k > n)
                throw new CliUsageException($"--shard '{shard}' ({s.SourceOf(CliSettings.Shard)}) must be k/n with 1 <= k <= n, e.g. 2/4");
            return shard;
        }
        var count = s.Number(CliSettings.ShardCount);
        if (CliApp.Environment("JOB_COMPLETION_INDEX") is not { Length: > 0 } indexText)
        {
            return count is null ? null : throw new CliUsageException($"--shard-count ({s.SourceOf(CliSettings.ShardCount)}) needs $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or give --shard k/n");
        }
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            throw new CliUsageException($"$JOB_COMPLETION_INDEX '{indexText}' is not a whole number");
        if (count is not { } total)
            throw new CliUsageException($"$JOB_COMPLETION_INDEX is {index} but the number of shards is not set: give --shard-count (or CLOUDINV_SHARD_COUNT), the Job's completions");
        if (index >= total) throw new CliUsageException($"$JOB_COMPLETION_INDEX {index} is not below the shard count {total} (indexes are 0-based)");
        return $"{index + 1}/{total}";
    }

    /// <summary>
    /// The run id the shards of one scheduled job share, from job_name, or null without one: a Kubernetes CronJob's Job
    /// (named <c>&lt;cronjob&gt;-&lt;scheduled time in minutes since 1970&gt;</c>) or <c>&lt;name&gt;@&lt;ISO-8601 time&gt;</c> (EventBridge
    /// Scheduler's <c>&lt;aws.scheduler.scheduled-time&gt;</c>, as the ECS deployment passes it). Each shard is its own
    /// process: without a shared id, each would be a run of its own, and the latest would hide the others' units.
    /// </summary>
    internal static string? JobRunId(SettingValues s)
    {
        if (s.Text(CliSettings.JobName) is not { } job) return null;
        var at = job.LastIndexOf('@');
        if (at > 0)
        {
            if (!DateTimeOffset.TryParse(job.AsSpan(at + 1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var scheduled))
                throw new CliUsageException($"--job-name '{job}' ({s.SourceOf(CliSettings.JobName)}) does not end in a scheduled time after '@' (e.g. @2026-12-02T03:00:00Z): give the job's shards one --run-id instead");
            return CloudInventory.Storage.RunManifest.SharedRunId(scheduled, job);
        }
        var dash = job.LastIndexOf('-');
        if (dash < 0 || !long.TryParse(job.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > 100_000_000)
            throw new CliUsageException($"--job-name '{job}' ({s.SourceOf(CliSettings.JobName)}) ends neither in a CronJob's scheduled time (-<minutes since 1970>) nor in @<ISO-8601 time>: give the job's shards one --run-id instead");
        return CloudInventory.Storage.RunManifest.SharedRunId(DateTimeOffset.FromUnixTimeSeconds(minutes * 60), job);
    }

    private static async Task<CollectionResult> RunLiveAsync(CollectOptions options, CancellationToken cancellationToken)
    {
        CollectionResult? result = null;
        var table = new Spectre.Console.Table().Border(TableBorder.Rounded).AddColumns("account", "units", "");
        await AnsiConsole.Live(table).AutoClear(false).StartAsync(async ctx =>
        {
            var progress = new Progress<CollectionProgress>(p =>
            {
                table.Rows.Clear();
                foreach (var (account, (done, total)) in p.UnitsByAccount.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    table.AddRow(account, $"{done}/{total}", Bar(done, total));
                }
                var eta = p.Remaining is { } r ? $", ETA {r:mm\\:ss}" : "";
                table.Caption($"{p.UnitsDone}/{p.UnitsTotal} units, {p.Rows:N0} rows, {p.ApiCalls:N0} API calls, {p.Throttles:N0} throttles, {p.Errors} errors, {p.Elapsed:mm\\:ss}{eta}");
                ctx.Refresh();
            });
            result = await new InventoryCollector().RunAsync(options, progress, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result!;
    }

    private static string Bar(int done, int total)
    {
        var width = 20;
        var filled = total == 0 ? width : done * width / total;
        return "[green]" + new string('━', filled) + "[/][grey]" + new string('━', width - filled) + "[/]";
    }

    /// <summary>Structured progress lines when the output is not a terminal: at most one every few seconds, plus the last.</summary>
    private sealed class PlainProgress(TextWriter output) : IProgress<CollectionProgress>
    {
        private readonly Lock _lock = new();
        private DateTime _last = DateTime.MinValue;
        private CollectionProgress? _latest;
        private CollectionProgress? _printed;

        public void Report(CollectionProgress value)
        {
            lock (_lock)
            {
                _latest = value;
                if (DateTime.UtcNow - _last < TimeSpan.FromSeconds(5) && value.UnitsDone != value.UnitsTotal) return;
                if (_printed is { } p && p.UnitsDone == value.UnitsDone && p.Rows == value.Rows && p.Errors == value.Errors) return;
                _last = DateTime.UtcNow;
                Write(value);
            }
        }

        public void Flush()
        {
            lock (_lock)
            {
                if (_latest is { } p && !ReferenceEquals(p, _printed) && (_printed is null || _printed.UnitsDone != p.UnitsDone || _printed.Rows != p.Rows)) Write(p);
            }
        }

        private void Write(CollectionProgress p)
        {
            _printed = p;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"progress units={p.UnitsDone}/{p.UnitsTotal} rows={p.Rows} api_calls={p.ApiCalls} throttles={p.Throttles} errors={p.Errors} elapsed_s={p.Elapsed.TotalSeconds:F1}"));
        }
    }

    private static async Task WriteSummaryAsync(TextWriter output, CollectionResult result)
    {
        var m = result.Manifest;
        var rows = m.Files.Where(f => f.Table != "cloudinv_errors").Sum(f => f.Rows);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Run {m.RunId} {m.Status.ToString().ToLowerInvariant()}: {rows:N0} rows in {m.Files.Count(f => f.Table != "cloudinv_errors")} tables from {result.Accounts.Count} account(s), {m.ApiCalls:N0} API calls, {m.Throttles:N0} throttles, {m.Errors} errors, {m.DurationMs / 1000.0:F1} s.")).ConfigureAwait(false);
        await output.WriteLineAsync($"Written to {result.Store} (report_date={m.ReportDate:yyyy-MM-dd}); manifest {m.Path}").ConfigureAwait(false);
        if (result.Errors.Count > 0)
        {
            await output.WriteLineAsync("Errors (also in the cloudinv_errors table):").ConfigureAwait(false);
            foreach (var group in result.Errors.GroupBy(e => (e.ErrorCode, e.Operation)).OrderByDescending(g => g.Count()).Take(10))
            {
                var first = group.First();
                await output.WriteLineAsync($"  {group.Count(),4} × {group.Key.ErrorCode} on {group.Key.Operation} (e.g. {first.AccountId}/{first.Region}): {first.Message}").ConfigureAwait(false);
            }
        }
        var example = m.Files.Any(f => f.Table.StartsWith("aws_", StringComparison.Ordinal)) || !m.Files.Any(f => f.Table.StartsWith("azure_", StringComparison.Ordinal))
            ? "select count(*) from aws_ec2_instances" : "select type, count(*) from current_azure_resources group by type";
        await output.WriteLineAsync($"Next: cloudinv query \"{example}\" --store {result.Store}").ConfigureAwait(false);
    }

    internal static Dictionary<string, object?> Summary(CollectionResult result)
    {
        var m = result.Manifest;
        return new Dictionary<string, object?>
        {
            ["run_id"] = m.RunId,
            ["status"] = m.Status.ToString().ToLowerInvariant(),
            ["exit_code"] = result.ExitCode,
            ["store"] = result.Store,
            ["report_date"] = m.ReportDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["accounts"] = result.Accounts.ToArray(),
            ["tables"] = m.Files.Count(f => f.Table != "cloudinv_errors"),
            ["rows"] = m.Files.Where(f => f.Table != "cloudinv_errors").Sum(f => f.Rows),
            ["api_calls"] = m.ApiCalls,
            ["throttles"] = m.Throttles,
            ["errors"] = m.Errors,
            ["duration_ms"] = m.DurationMs,
            ["manifest"] = m.Path,
        };
    }
}
