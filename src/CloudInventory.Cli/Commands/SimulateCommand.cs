using System.CommandLine;
using System.Globalization;
using CloudInventory.Simulator;
using CloudInventory.Simulator.Azure;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv simulate</c>: serves the simulated cloud on 127.0.0.1 until interrupted (with <c>--azure</c>, a simulated
/// Azure tenant beside it, over HTTPS with its own CA), and prints how to point the AWS CLI, the SDKs or <c>cloudinv</c>
/// at them. Exit codes: 0 stopped, 2 bad options or port in use.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "The loopback port (0 picks a free one).", DefaultValueFactory = _ => 4566 };
        var seed = new Option<long>("--seed") { Description = "The world's seed.", DefaultValueFactory = _ => 42 };
        var accounts = new Option<int>("--accounts") { Description = "Accounts in the organisation (the last is suspended when there are 3 or more).", DefaultValueFactory = _ => 3 };
        var regions = new Option<string>("--regions") { Description = "Enabled regions, comma-separated.", DefaultValueFactory = _ => "us-east-1,eu-west-1" };
        var scale = new Option<double>("--scale") { Description = "Multiplies the number of resources of every kind.", DefaultValueFactory = _ => 1.0 };
        var date = new Option<string?>("--date") { Description = "The world's date, YYYY-MM-DD (default: today, UTC)." };
        var latency = new Option<string?>("--latency-ms") { Description = "Added latency per call: N or MIN-MAX milliseconds." };
        var throttle = new Option<double>("--throttle-rate") { Description = "Share of calls throttled (0-1)." };
        var errors = new Option<double>("--error-rate") { Description = "Share of calls failing with HTTP 503 (0-1)." };
        var timeouts = new Option<double>("--timeout-rate") { Description = "Share of calls that hang (0-1)." };
        var truncate = new Option<double>("--truncate-rate") { Description = "Share of responses cut short (0-1)." };
        var malformed = new Option<double>("--malformed-rate") { Description = "Share of boolean, number and timestamp values written as malformed text (None, N/A, an unparseable date; 0-1, seeded)." };
        var azure = new Option<bool>("--azure") { Description = "Also serve a simulated Azure tenant (HTTPS on 127.0.0.1, its CA written as azure-ca.pem)." };
        var azurePort = new Option<int>("--azure-port") { Description = "With --azure: its loopback port (0 picks a free one).", DefaultValueFactory = _ => 4567 };
        var subscriptions = new Option<int>("--subscriptions") { Description = "With --azure: enabled subscriptions (one more, disabled, is always listed).", DefaultValueFactory = _ => 2 };
        var command = new Command("simulate", "Serve a simulated AWS (every service, deterministic, drifting day by day) on 127.0.0.1, and with --azure a simulated Azure tenant.")
        {
            port, seed, accounts, regions, scale, date, latency, throttle, errors, timeouts, truncate, malformed, azure, azurePort, subscriptions,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var options = new SimulatorOptions
            {
                Port = parseResult.GetValue(port),
                Seed = parseResult.GetValue(seed),
                Accounts = parseResult.GetValue(accounts),
                Regions = (parseResult.GetValue(regions) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Scale = parseResult.GetValue(scale),
                ThrottleRate = parseResult.GetValue(throttle),
                ErrorRate = parseResult.GetValue(errors),
                TimeoutRate = parseResult.GetValue(timeouts),
                TruncateRate = parseResult.GetValue(truncate),
                MalformedRate = parseResult.GetValue(malformed),
            };
            if (options.Port is < 0 or > 65535) return Usage(error, $"--port {options.Port} is not a port number (0-65535)");
            if (options.Accounts is < 1 or > 10_000) return Usage(error, $"--accounts {options.Accounts} must be between 1 and 10000");
            if (options.Regions.Count == 0) return Usage(error, "--regions needs at least one region");
            if (!(options.Scale > 0 && options.Scale <= 10_000)) return Usage(error, $"--scale {options.Scale} must be greater than 0");
            foreach (var (name, rate) in new[] { ("--throttle-rate", options.ThrottleRate), ("--error-rate", options.ErrorRate), ("--timeout-rate", options.TimeoutRate), ("--truncate-rate", options.TruncateRate), ("--malformed-rate", options.MalformedRate) })
            {
                if (!(rate >= 0 && rate <= 1)) return Usage(error, $"{name} {rate.ToString(CultureInfo.InvariantCulture)} must be a number between 0 and 1");
            }
            if (parseResult.GetValue(date) is { } dateText)
            {
                if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    return Usage(error, $"--date '{dateText}' is not a date (YYYY-MM-DD)");
                options.Date = day;
            }
            if (parseResult.GetValue(latency) is { } latencyText)
            {
                try
                {
                    options.Latency = LatencyDistribution.Parse(latencyText);
                }
                catch (FormatException e)
                {
                    return Usage(error, e.Message);
                }
            }

            if (parseResult.GetValue(azurePort) is < 0 or > 65535) return Usage(error, $"--azure-port {parseResult.GetValue(azurePort)} is not a port number (0-65535)");
            if (parseResult.GetValue(subscriptions) is < 1 or > 1_000) return Usage(error, $"--subscriptions {parseResult.GetValue(subscriptions)} must be between 1 and 1000");

            SimulatedCloud cloud;
            SimulatedAzure? tenant = null;
            try
            {
                cloud = await SimulatedCloud.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (SimulatorStartException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            if (parseResult.GetValue(azure))
            {
                try
                {
                    tenant = await SimulatedAzure.StartAsync(new SimulatedAzureOptions
                    {
                        Port = parseResult.GetValue(azurePort), Seed = options.Seed, Subscriptions = parseResult.GetValue(subscriptions), Scale = options.Scale,
                        Date = options.Date, Latency = TimeSpan.FromMilliseconds((options.Latency.MinMs + options.Latency.MaxMs) / 2.0), ThrottleRate = options.ThrottleRate, ErrorRate = options.ErrorRate, TruncateRate = options.TruncateRate,
                    }, cancellationToken).ConfigureAwait(false);
                }
                catch (SimulatorStartException e)
                {
                    await cloud.DisposeAsync().ConfigureAwait(false);
                    await error.WriteLineAsync($"error: Azure: {e.Message}").ConfigureAwait(false);
                    return 2;
                }
            }
            await using (cloud.ConfigureAwait(false))
            await using (new AzureTenantLease(tenant).ConfigureAwait(false))
            {
                var key = cloud.ManagementAccessKey;
                var world = cloud.World;
                await output.WriteLineAsync($"Simulated AWS listening on {cloud.Endpoint} (seed {world.Seed}, {cloud.Date:yyyy-MM-dd}).").ConfigureAwait(false);
                await output.WriteLineAsync($"Organisation {world.OrganizationId}: {world.Accounts.Count} accounts, management {world.ManagementAccount.Id}; regions {string.Join(", ", world.Regions)}.").ConfigureAwait(false);
                await output.WriteLineAsync("Point a client at it:").ConfigureAwait(false);
                await output.WriteLineAsync($"  export AWS_ENDPOINT_URL={cloud.Endpoint.ToString().TrimEnd('/')}").ConfigureAwait(false);
                await output.WriteLineAsync($"  export AWS_ACCESS_KEY_ID={key}").ConfigureAwait(false);
                await output.WriteLineAsync($"  export AWS_SECRET_ACCESS_KEY={cloud.SecretFor(key)}").ConfigureAwait(false);
                await output.WriteLineAsync("  export AWS_REGION=us-east-1").ConfigureAwait(false);
                await output.WriteLineAsync("  cloudinv aws call ec2 DescribeInstances").ConfigureAwait(false);
                if (tenant is not null)
                {
                    var endpoint = tenant.Endpoint.ToString().TrimEnd('/');
                    await output.WriteLineAsync($"Simulated Azure listening on {endpoint}: tenant {tenant.World.TenantId}, {tenant.World.Subscriptions.Count} subscriptions (one disabled), CA {tenant.CaCertificatePath}.").ConfigureAwait(false);
                    await output.WriteLineAsync("Point cloudinv (DefaultAzureCredential) at it:").ConfigureAwait(false);
                    await output.WriteLineAsync($"  export AZURE_TENANT_ID={tenant.World.TenantId} AZURE_CLIENT_ID={tenant.World.ClientId} AZURE_CLIENT_SECRET={tenant.World.ClientSecret}").ConfigureAwait(false);
                    await output.WriteLineAsync($"  export AZURE_AUTHORITY_HOST={endpoint} CLOUDINV_AZURE_ENDPOINT={endpoint} SSL_CERT_FILE={tenant.CaCertificatePath}").ConfigureAwait(false);
                    await output.WriteLineAsync("  cloudinv collect --clouds aws,azure").ConfigureAwait(false);
                }
                await output.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                await output.WriteLineAsync($"Stopped after {cloud.RequestCount + (tenant?.RequestCount ?? 0)} requests.").ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }

    // Stops the simulated Azure tenant, when one was started, with the command.
    private sealed class AzureTenantLease(SimulatedAzure? tenant) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => tenant?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return 2;
    }
}
