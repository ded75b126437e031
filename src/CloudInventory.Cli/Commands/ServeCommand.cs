using System.CommandLine;
using System.Runtime.InteropServices;
using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;
using CloudInventory.Server;
using CloudInventory.Server.Scheduling;
using CloudInventory.Storage;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv serve</c>: the dashboard and the read-only HTTP API over a store, on loopback by default. Beyond loopback it
/// needs <c>--auth-token</c> (or <c>CLOUDINV_AUTH_TOKEN</c>) or an explicit <c>--insecure-no-auth</c>. With
/// <c>--schedule</c> it also collects into the store on a cron schedule (the collect settings apply to each run), and
/// the dashboard sees each run as soon as its manifest is written. <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>
/// (Prometheus text) are always served. SIGTERM or Ctrl+C stops it: the run in flight gets <c>--stop-grace</c> to finish.
/// Exit codes: 0 stopped, 2 bad options or an unusable store.
/// </summary>
internal static class ServeCommand
{
    public const string TokenVariable = "CLOUDINV_AUTH_TOKEN";

    /// <summary>The command's name; it handles its own stop signals (see <see cref="CliApp"/>).</summary>
    public const string Name = "serve";

    internal static readonly Setting Schedule = new("schedule", SettingKind.Text,
        "Also collect into the store on this cron schedule (five fields, or six with seconds first, or @daily), e.g. '0 6 * * *'; each run takes the collect settings (--regions, --tables, --org, ...).");

    internal static readonly Setting ScheduleTimeZone = new("schedule_timezone", SettingKind.Text, "The time zone --schedule is read in (an IANA id such as Europe/Berlin).", Default: "UTC");

    internal static readonly Setting ScheduleJitter = new("schedule_jitter", SettingKind.Text,
        $"Start each scheduled run after a random delay up to this long ({CloudInventory.Text.Age.Forms}), so many servers do not call AWS at once; shorter than the schedule's gaps.");

    internal static readonly Setting ReadyMaxAge = new("ready_max_age", SettingKind.Text,
        "With --schedule: /readyz answers 503 when the last successful (complete or partial) run finished longer ago than this; default twice the schedule's longest gap plus the jitter.");

    internal static readonly Setting StopGrace = new("stop_grace", SettingKind.Text,
        "On SIGTERM or Ctrl+C: how long the scheduled run in flight may take to finish; after it, the run is abandoned and nothing of it is published.", Default: "25s");

    /// <summary>The collect settings that only mean something with --schedule.</summary>
    private static readonly Setting[] CollectOnly = [.. CollectCommand.Bound.Where(s => !StoreSelection.Settings.Contains(s) && s != CliSettings.RunId && s != CliSettings.JobName && s != CliSettings.LogFormat)];

    public static Command Create(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var listen = new Setting("listen", SettingKind.Text,
            "host:port to listen on (loopback only by default). Beyond loopback a token is required.", Default: DashboardServerOptions.DefaultListen);
        var token = new Setting("auth_token", SettingKind.Text,
            $"The token every request must carry (Authorization: Bearer, or the login page's cookie; /healthz and /readyz excepted); better given as ${TokenVariable}, which stays out of the process list.", Secret: true);
        var insecure = new Setting("insecure_no_auth", SettingKind.Switch, "Serve beyond loopback without a token: anyone who reaches the port reads the inventory.");
        var requiredTags = new Setting("required_tags", SettingKind.List, "Tag keys every resource should carry, for the Tags page (comma-separated or repeated), e.g. Owner,Application.");
        var settings = new CommandSettings([.. StoreSelection.Settings, listen, token, insecure, requiredTags, Schedule, ScheduleTimeZone, ScheduleJitter, ReadyMaxAge, StopGrace, .. CollectOnly, CliSettings.LogFormat]);
        var command = new Command(Name, "Serve the dashboard and the read-only HTTP API (/api/v1, OpenAPI at /openapi/v1.json) over a store; with --schedule, also collect into it on a cron schedule.");
        settings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var values = settings.Resolve(parse);
            var schedule = ScheduleOf(values);
            var grace = values.Age(StopGrace)!.Length(DateTimeOffset.UtcNow);
            CollectTelemetry telemetry;
            try
            {
                telemetry = CollectTelemetry.Start(values.Text(CliSettings.LogFormat) ?? (schedule is null ? null : "text"), environment, [ScheduledCollection.MeterName]);
            }
            catch (FormatException e)
            {
                throw new CliUsageException(e.Message, e);
            }
            using var flushed = telemetry;
            DashboardServer? server = null;
            ScheduledCollection? scheduled = null;
            if (schedule is not null)
            {
                CollectCommand.ToOptions(values); // bad collect settings are bad usage now, not at the first due time
                scheduled = new ScheduledCollection(new ScheduledCollectionOptions
                {
                    Schedule = schedule,
                    Collect = () =>
                    {
                        var collect = CollectCommand.ToOptions(values);
                        collect.Logger = telemetry.Logger;
                        return collect;
                    },
                    StopGrace = grace,
                    ReadyMaxAge = values.Age(ReadyMaxAge)?.Length(DateTimeOffset.UtcNow),
                    Published = _ => server?.ReloadStore(),
                    Logger = telemetry.LoggerFor("cloudinv.serve"),
                });
            }
            var options = new DashboardServerOptions
            {
                Store = StoreSelection.Location(values),
                Database = StoreSelection.Options(values, null, error),
                Listen = values.Text(listen) ?? DashboardServerOptions.DefaultListen,
                AuthToken = values.Text(token) ?? environment(TokenVariable),
                InsecureNoAuth = values.Switch(insecure),
                RequiredTags = values.List(requiredTags).Distinct(StringComparer.Ordinal).ToArray(),
                Catalog = TableCatalog.Default,
                StoreMayBeEmpty = scheduled is not null,
                Readiness = scheduled is null ? null : scheduled.Readiness,
                EndpointGroups = [new PrometheusEndpoint(telemetry.Meters!)],
            };
            // serve stops on its own terms (CliApp leaves it the signals): a scheduled run in flight gets its grace period.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, stopping));
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, stopping));
            try
            {
                server = await DashboardServer.StartAsync(options, stopping.Token).ConfigureAwait(false);
            }
            catch (DashboardStartException e)
            {
                await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
                return 2;
            }
            await using (server.ConfigureAwait(false))
            {
                if (!server.IsLoopback && string.IsNullOrEmpty(options.AuthToken))
                {
                    await error.WriteLineAsync($"warning: serving beyond loopback without authentication (--insecure-no-auth): anyone who can reach {options.Listen} can read the whole inventory.").ConfigureAwait(false);
                }
                await output.WriteLineAsync($"Cloud Inventory dashboard: {server.Address} (store {options.Store}; API {new Uri(server.Address, "/api/v1/")}, OpenAPI {new Uri(server.Address, "/openapi/v1.json")}, {new Uri(server.Address, PrometheusEndpoint.Path)}).").ConfigureAwait(false);
                if (schedule is not null)
                {
                    await output.WriteLineAsync($"Collecting on the schedule '{schedule.Text}' ({schedule.TimeZone.Id}); readiness at {new Uri(server.Address, "/readyz")}.").ConfigureAwait(false);
                }
                await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                if (scheduled is not null)
                {
                    try
                    {
                        await scheduled.RunAsync(stopping.Token).ConfigureAwait(false);
                    }
                    catch (InventoryStoreException e)
                    {
                        await error.WriteLineAsync($"error: cannot read the store's runs to schedule the next: {CliApp.OneLine(e.Message)}").ConfigureAwait(false);
                        return 2;
                    }
                }
                await server.WaitForShutdownAsync(stopping.Token).ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stopping)
    {
        context.Cancel = true;
        stopping.Cancel();
    }

    /// <summary>The schedule the settings name, or null; the schedule's own settings and collect's are refused without one.</summary>
    /// <exception cref="CliUsageException">A value is not usable, or a flag needs --schedule.</exception>
    private static CollectionSchedule? ScheduleOf(SettingValues values)
    {
        var cron = values.Text(Schedule);
        if (cron is null)
        {
            foreach (var setting in new[] { ScheduleJitter, ReadyMaxAge }.Concat(CollectOnly))
            {
                if (values.SourceOf(setting).StartsWith("flag", StringComparison.Ordinal))
                    throw new CliUsageException($"{setting.Flag} only applies to scheduled collections: give --schedule '<cron>' too, or leave it out");
            }
            return null;
        }
        var jitter = values.Age(ScheduleJitter)?.Length(DateTimeOffset.UtcNow) ?? TimeSpan.Zero;
        values.Age(ReadyMaxAge);
        values.Age(StopGrace);
        try
        {
            return CollectionSchedule.Parse(cron, values.Text(ScheduleTimeZone), jitter);
        }
        catch (FormatException e)
        {
            var setting = e.Message.StartsWith("schedule_timezone", StringComparison.Ordinal) ? ScheduleTimeZone
                : e.Message.StartsWith("schedule_jitter", StringComparison.Ordinal) ? ScheduleJitter : Schedule;
            throw new CliUsageException($"{setting.Flag} ({values.SourceOf(setting)}): {e.Message}", e);
        }
    }
}
