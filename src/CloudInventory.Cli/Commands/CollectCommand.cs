using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Credentials;
using CloudInventory.Collection;
using Spectre.Console;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv collect</c>: takes a snapshot of every account, region and table into the store.
/// Exit codes: 0 complete, 3 partial (some calls failed; see cloudinv_errors), 1 failed, 2 bad options
/// or nothing could start (credentials, store).
/// </summary>
internal static class CollectCommand
{
    /// <summary>Lets tests supply credentials (the simulator's) without touching the environment.</summary>
    internal static readonly AsyncLocal<AwsCredentialSource?> Credentials = new();

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "A YAML file of settings (the flag names in snake_case: store, regions, role_name, …)." };
        var profile = new Option<string?>("--profile") { Description = "The AWS profile of the base credentials." };
        var accounts = new Option<string[]>("--accounts") { Description = "Accounts to collect (comma-separated or repeated); default: the caller's.", AllowMultipleArgumentsPerToken = true };
        var org = new Option<bool>("--org") { Description = "Discover the accounts through AWS Organizations (suspended accounts are skipped)." };
        var ou = new Option<string[]>("--ou") { Description = "With --org: only accounts under these OUs (id or name).", AllowMultipleArgumentsPerToken = true };
        var excludeOu = new Option<string[]>("--exclude-ou") { Description = "With --org: leave out accounts under these OUs (id or name).", AllowMultipleArgumentsPerToken = true };
        var roleName = new Option<string?>("--role-name") { Description = "Role to assume in each account other than the caller's." };
        var externalId = new Option<string?>("--external-id") { Description = "External id for AssumeRole." };
        var regions = new Option<string[]>("--regions") { Description = "Regions (default: each account's enabled regions).", AllowMultipleArgumentsPerToken = true };
        var tables = new Option<string[]>("--tables") { Description = "Table globs, e.g. 'aws_ec2_*' (default: every curated table).", AllowMultipleArgumentsPerToken = true };
        var store = new Option<string?>("--store") { Description = "A directory or s3://bucket/prefix (default ./inventory)." };
        var shard = new Option<string?>("--shard") { Description = "This worker's share, k/n (for Kubernetes Indexed Jobs or parallel ECS tasks)." };
        var runId = new Option<string?>("--run-id") { Description = "The run id, shared by the shards of one collection (e.g. 20261125T060000Z-0a1b2c)." };
        var endpointUrl = new Option<string?>("--endpoint-url") { Description = "Send every AWS call here (e.g. the simulator)." };
        var concurrency = new Option<string?>("--concurrency") { Description = "Work units at once (default 32)." };
        var maxAttempts = new Option<string?>("--max-attempts") { Description = "Attempts per call, retries included (default 5)." };
        var json = new Option<bool>("--json") { Description = "Print the final summary as JSON." };
        var logFormat = new Option<string?>("--log-format") { Description = "Log the run's events to standard error: text, or json (one event per line, for log systems); no progress lines then." };
        var command = new Command("collect", "Take a snapshot of every account, region and table into the store.")
        {
            config, profile, accounts, org, ou, excludeOu, roleName, externalId, regions, tables, store, shard, runId, endpointUrl, concurrency, maxAttempts, json, logFormat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var settings = new CollectSettings();
            CollectOptions options;
            CollectTelemetry? telemetry = null;
            try
            {
                if (parse.GetValue(config) is { } file) settings.LoadYaml(file.FullName);
                settings.LoadEnvironment(Environment.GetEnvironmentVariable);
                void Flag(string key, object? value)
                {
                    switch (value)
                    {
                        case null:
                        case false:
                        case string[] { Length: 0 }:
                            return;
                        case string[] list:
                            settings.Set(key, list.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(), "--" + key.Replace('_', '-'));
                            return;
                        default:
                            settings.Set(key, Convert.ToString(value, CultureInfo.InvariantCulture)!.ToLowerInvariant() is "true" ? "true" : Convert.ToString(value, CultureInfo.InvariantCulture)!, "--" + key.Replace('_', '-'));
                            return;
                    }
                }
                Flag("profile", parse.GetValue(profile));
                Flag("accounts", parse.GetValue(accounts));
                Flag("org", parse.GetValue(org));
                Flag("ou", parse.GetValue(ou));
                Flag("exclude_ou", parse.GetValue(excludeOu));
                Flag("role_name", parse.GetValue(roleName));
                Flag("external_id", parse.GetValue(externalId));
                Flag("regions", parse.GetValue(regions));
                Flag("tables", parse.GetValue(tables));
                Flag("store", parse.GetValue(store));
                Flag("shard", parse.GetValue(shard));
                Flag("run_id", parse.GetValue(runId));
                Flag("endpoint_url", parse.GetValue(endpointUrl));
                Flag("concurrency", parse.GetValue(concurrency));
                Flag("max_attempts", parse.GetValue(maxAttempts));
                Flag("log_format", parse.GetValue(logFormat));
                options = ToOptions(settings);
                telemetry = CollectTelemetry.Start(settings.String("log_format"), Environment.GetEnvironmentVariable);
                options.Logger = telemetry.Logger;
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            using var flushed = telemetry;
            var asJson = parse.GetValue(json);
            var logging = options.Logger is not null;
            var live = !asJson && !logging && !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out) && AnsiConsole.Profile.Capabilities.Interactive;
            try
            {
                CollectionResult result;
                if (live)
                {
                    result = await RunLiveAsync(options, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var reporter = asJson || logging ? null : new PlainProgress(output);
                    result = await new InventoryCollector().RunAsync(options, reporter, cancellationToken).ConfigureAwait(false);
                    reporter?.Flush();
                }
                if (asJson) await output.WriteLineAsync(SummaryJson(result)).ConfigureAwait(false);
                else await WriteSummaryAsync(output, result).ConfigureAwait(false);
                return result.ExitCode;
            }
            catch (CollectionException e)
            {
                if (options.Logger is { } logger) CollectLog.RunFailedToStart(logger, e.Message);
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("interrupted: nothing of this run was published (no manifest was written)").ConfigureAwait(false);
                return 130;
            }
        });
        return command;
    }

    private static CollectOptions ToOptions(CollectSettings s)
    {
        var options = new CollectOptions
        {
            Profile = s.String("profile"),
            Credentials = Credentials.Value,
            Accounts = s.List("accounts"),
            Organization = s.Bool("org"),
            IncludeOrganizationalUnits = s.List("ou"),
            ExcludeOrganizationalUnits = s.List("exclude_ou"),
            RoleName = s.String("role_name"),
            ExternalId = s.String("external_id"),
            Regions = s.Has("regions") ? s.List("regions") : null,
            Tables = s.List("tables"),
            Store = s.String("store") ?? "./inventory",
            Shard = s.String("shard"),
            RunId = s.String("run_id"),
            Concurrency = s.Int("concurrency") ?? 32,
            MaxAttempts = s.Int("max_attempts") ?? 5,
        };
        if (s.String("endpoint_url") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new FormatException($"endpoint_url ({s.SourceOf("endpoint_url")}): '{url}' is not an absolute http(s) URL");
            options.EndpointUrl = uri;
        }
        if ((options.IncludeOrganizationalUnits.Count > 0 || options.ExcludeOrganizationalUnits.Count > 0) && !options.Organization)
            throw new FormatException("--ou and --exclude-ou need --org");
        return options;
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
        await output.WriteLineAsync($"Next: cloudinv query \"select count(*) from aws_ec2_instances\" --store {result.Store}").ConfigureAwait(false);
    }

    internal static string SummaryJson(CollectionResult result)
    {
        var m = result.Manifest;
        var node = new JsonObject
        {
            ["run_id"] = m.RunId,
            ["status"] = m.Status.ToString().ToLowerInvariant(),
            ["exit_code"] = result.ExitCode,
            ["store"] = result.Store,
            ["report_date"] = m.ReportDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["accounts"] = new JsonArray(result.Accounts.Select(a => (JsonNode)a).ToArray()),
            ["tables"] = m.Files.Count(f => f.Table != "cloudinv_errors"),
            ["rows"] = m.Files.Where(f => f.Table != "cloudinv_errors").Sum(f => f.Rows),
            ["api_calls"] = m.ApiCalls,
            ["throttles"] = m.Throttles,
            ["errors"] = m.Errors,
            ["duration_ms"] = m.DurationMs,
            ["manifest"] = m.Path,
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
