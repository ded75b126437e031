using System.Net;
using System.Threading.RateLimiting;
using CloudInventory.Collection.Internal;
using CloudInventory.Query;
using CloudInventory.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudInventory.Server;

/// <summary>
/// <c>cloudinv serve</c>: the dashboard and the read-only HTTP API over a store, on Kestrel. The server is a list of
/// endpoint groups (the API under <c>/api/v1</c>, the pages, the OpenAPI document, and any <see cref="DashboardServerOptions.EndpointGroups"/>)
/// behind one pipeline: error responses without stack traces, security headers, a per-client rate limit, then access control
/// (a token beyond loopback).
/// </summary>
public sealed partial class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InventorySessions _sessions;
    private readonly IDisposable? _governor;

    private DashboardServer(WebApplication app, InventorySessions sessions, IReadOnlyList<Uri> addresses, bool isLoopback, IDisposable? governor)
    {
        _governor = governor;
        _app = app;
        _sessions = sessions;
        Addresses = addresses;
        IsLoopback = isLoopback;
    }

    /// <summary>The addresses the server listens on (with the ports actually bound).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first address: where to open the dashboard.</summary>
    public Uri Address => Addresses[0];

    /// <summary>True when every address is a loopback address.</summary>
    public bool IsLoopback { get; }

    /// <summary>Opens the store and starts listening.</summary>
    /// <exception cref="DashboardStartException">The address is invalid, a token is needed beyond loopback, the port is taken, or the store cannot be opened.</exception>
    public static async Task<DashboardServer> StartAsync(DashboardServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listen = ListenAddress.Parse(options.Listen);
        var token = string.IsNullOrEmpty(options.AuthToken) ? null : options.AuthToken;
        if (!listen.IsLoopback && token is null && !options.InsecureNoAuth)
        {
            throw new DashboardStartException(
                $"--listen {options.Listen} is beyond loopback: give --auth-token (or CLOUDINV_AUTH_TOKEN) so only holders of the token can read the inventory, or --insecure-no-auth to serve it to anyone who can reach the port.");
        }
        InventorySessions sessions;
        try
        {
            sessions = new InventorySessions(options);
        }
        catch (InventoryQueryException e)
        {
            throw new DashboardStartException(e.Message, e);
        }

        try
        {
            var app = Build(options, listen, token, sessions);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw new DashboardStartException($"cannot listen on {options.Listen}: {e.Message} (pick another --listen port).", e);
            }
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => new Uri(a.Replace("://[::]", "://[::1]", StringComparison.Ordinal))).ToList();
            // While it serves, the young generation is kept small too when the process enabled it (the CLI does): requests
            // allocate in bursts (a cold diff reads 100k-row snapshots), and DATAS would let gen0 grow to ~60 MiB.
            return new DashboardServer(app, sessions, addresses, listen.IsLoopback, YoungGenerationGovernor.Process.Enter());
        }
        catch
        {
            sessions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes the next requests see the store as it is now (runs published since it was opened): the open databases are
    /// closed once their requests end and the store is read anew.
    /// </summary>
    public void ReloadStore() => _sessions.Reload();

    /// <summary>Waits until the server stops (Ctrl+C, or the token is cancelled).</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops listening and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _sessions.Dispose();
        _governor?.Dispose();
    }

    private static WebApplication Build(DashboardServerOptions options, ListenAddress listen, string? token, InventorySessions sessions)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            foreach (var address in listen.Addresses) k.Listen(address, listen.Port);
        });
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Cloud Inventory API";
            document.Info.Description = "The read-only API of cloudinv serve: runs, tables, inventory at a time, resources and their history, diffs, trends, tags, posture and sandboxed SQL.";
            return Task.CompletedTask;
        }));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                }));
            o.OnRejected = (context, cancellationToken) => new ValueTask(ApiErrors.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                $"too many requests: at most {options.RequestsPerMinute} a minute from one address; try again in a minute"));
        });
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("cloudinv.serve");
        var access = new AccessControl(token, listen.IsLoopback);
        app.Use(new MemoryTrim(options.TrimAfterAllocatedBytes).InvokeAsync);
        app.Use((context, next) => HandleErrorsAsync(context, next, logger));
        app.Use(SecurityHeaders.InvokeAsync);
        app.UseRateLimiter();
        app.Use(access.InvokeAsync);
        app.Use(async (context, next) =>
        {
            // Kestrel enforces the limit while the body is read; a declared length over it is refused up front, with a message.
            if (context.Request.ContentLength > options.MaxRequestBodyBytes)
            {
                await ApiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                    $"the request body is larger than {options.MaxRequestBodyBytes} bytes; send less (a SQL text is far smaller)").ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });
        app.MapOpenApi();
        IDashboardEndpointGroup[] groups = [new HealthEndpoints(sessions, options.Readiness), new ApiEndpoints(sessions, options), new DashboardPages(access), .. options.EndpointGroups];
        foreach (var group in groups) group.Map(app);
        return app;
    }

    private static async Task HandleErrorsAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (InventoryQueryException e)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
        }
        catch (StoreNotReadyException e)
        {
            context.Response.Headers.RetryAfter = "60";
            await ApiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, e.Message).ConfigureAwait(false);
        }
        catch (ApiNotFoundException e)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status404NotFound, e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            var message = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? e.Message : "bad request: " + e.Message.Split('\n')[0];
            await ApiErrors.WriteAsync(context, e.StatusCode, message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
#pragma warning disable CA1031 // the one place that turns any failure into a response without internals
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailure(logger, context.Request.Method, context.Request.Path, e);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
            await ApiErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal error: the server log has the details").ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception exception);
}
