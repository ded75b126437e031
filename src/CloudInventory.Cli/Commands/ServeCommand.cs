using System.CommandLine;
using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;
using CloudInventory.Server;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv serve</c>: the dashboard and the read-only HTTP API over a store, on loopback by default. Beyond loopback it
/// needs <c>--auth-token</c> (or <c>CLOUDINV_AUTH_TOKEN</c>) or an explicit <c>--insecure-no-auth</c>.
/// Exit codes: 0 stopped (Ctrl+C), 2 bad options or an unusable store.
/// </summary>
internal static class ServeCommand
{
    public const string TokenVariable = "CLOUDINV_AUTH_TOKEN";

    public static Command Create(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var listen = new Setting("listen", SettingKind.Text,
            "host:port to listen on (loopback only by default). Beyond loopback a token is required.", Default: DashboardServerOptions.DefaultListen);
        var token = new Setting("auth_token", SettingKind.Text,
            $"The token every request must carry (Authorization: Bearer, or the login page's cookie); better given as ${TokenVariable}, which stays out of the process list.", Secret: true);
        var insecure = new Setting("insecure_no_auth", SettingKind.Switch, "Serve beyond loopback without a token: anyone who reaches the port reads the inventory.");
        var requiredTags = new Setting("required_tags", SettingKind.List, "Tag keys every resource should carry, for the Tags page (comma-separated or repeated), e.g. Owner,Application.");
        var settings = new CommandSettings([.. StoreSelection.Settings, listen, token, insecure, requiredTags]);
        var command = new Command("serve", "Serve the dashboard and the read-only HTTP API (/api/v1, OpenAPI at /openapi/v1.json) over a store.");
        settings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var values = settings.Resolve(parse);
            var options = new DashboardServerOptions
            {
                Store = StoreSelection.Location(values),
                Database = StoreSelection.Options(values, null, error),
                Listen = values.Text(listen) ?? DashboardServerOptions.DefaultListen,
                AuthToken = values.Text(token) ?? environment(TokenVariable),
                InsecureNoAuth = values.Switch(insecure),
                RequiredTags = values.List(requiredTags).Distinct(StringComparer.Ordinal).ToArray(),
                Catalog = TableCatalog.Default,
            };
            DashboardServer server;
            try
            {
                server = await DashboardServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
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
                await output.WriteLineAsync($"Cloud Inventory dashboard: {server.Address} (store {options.Store}; API {new Uri(server.Address, "/api/v1/")}, OpenAPI {new Uri(server.Address, "/openapi/v1.json")}).").ConfigureAwait(false);
                await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }
}
