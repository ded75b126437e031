using System.CommandLine;
using CloudInventory.Catalog;
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
        var store = new StoreSelection();
        var listen = new Option<string>("--listen")
        {
            Description = "host:port to listen on (127.0.0.1:8080 by default: loopback only). Beyond loopback a token is required.",
            DefaultValueFactory = _ => DashboardServerOptions.DefaultListen,
        };
        var token = new Option<string?>("--auth-token")
        {
            Description = $"The token every request must carry (Authorization: Bearer, or the login page's cookie); better given as ${TokenVariable}, which stays out of the process list.",
        };
        var insecure = new Option<bool>("--insecure-no-auth") { Description = "Serve beyond loopback without a token: anyone who reaches the port reads the inventory." };
        var requiredTags = new Option<string[]>("--required-tags")
        {
            Description = "Tag keys every resource should carry, for the Tags page (comma-separated or repeated), e.g. Owner,Application.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("serve", "Serve the dashboard and the read-only HTTP API (/api/v1, OpenAPI at /openapi/v1.json) over a store.")
        {
            store.Store, store.CacheDirectory, store.EndpointUrl, listen, token, insecure, requiredTags,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = new DashboardServerOptions
            {
                Store = store.Location(parse),
                Database = store.Options(parse, []),
                Listen = parse.GetValue(listen)!,
                AuthToken = parse.GetValue(token) ?? environment(TokenVariable),
                InsecureNoAuth = parse.GetValue(insecure),
                RequiredTags = (parse.GetValue(requiredTags) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray(),
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
