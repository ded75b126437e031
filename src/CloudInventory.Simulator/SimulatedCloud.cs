using System.Net;
using System.Net.Sockets;
using CloudInventory.Aws.Models;
using CloudInventory.Simulator.Protocols;
using CloudInventory.Simulator.Server;
using CloudInventory.Simulator.World;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudInventory.Simulator;

/// <summary>
/// A simulated AWS on one loopback port: every service and protocol of the bundled models, routed
/// on the SigV4 credential scope, answering from a deterministic world that drifts day by day.
/// </summary>
public sealed class SimulatedCloud : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatedResponder _responder;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string AccountId, string Region, string Service), long> _requestsByScope = new();

    // Building an answer is CPU work (a page of a large listing is a thousand items and their XML, tens of MB while
    // it lasts): at most one answer per processor is built at a time and the other requests wait their turn, so the
    // memory of answers in progress does not grow with the number of clients, and the total throughput is the same.
    private readonly SemaphoreSlim _answering = new(Math.Max(2, Environment.ProcessorCount));
    private long _requests;
    private int _inFlight;
    private int _maxInFlight;

    private SimulatedCloud(WebApplication app, SimulatedResponder responder, Uri endpoint)
    {
        _app = app;
        _responder = responder;
        Endpoint = endpoint;
    }

    /// <summary>The endpoint to point clients at, e.g. <c>http://127.0.0.1:4566</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The simulated estate.</summary>
    public SimulatedWorld World => _responder.World;

    /// <summary>The day the world shows; set it to replay another day.</summary>
    public DateOnly Date
    {
        get => _responder.Date;
        set => _responder.Date = value;
    }

    /// <summary>How many requests have been answered.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>
    /// How many requests have been answered per (account, signing region, service model name): the scopes in
    /// which a client's per-scope rate limits apply. Requests without a valid signature scope are not counted.
    /// </summary>
    public IReadOnlyDictionary<(string AccountId, string Region, string Service), long> RequestsByScope() =>
        _requestsByScope.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>
    /// The values written as malformed text under <see cref="SimulatorOptions.MalformedRate"/>: how many per (account,
    /// region the world answered for, <c>service:Operation</c>, member path as the client's readers name it, e.g.
    /// <c>Reservations[].Instances[].EbsOptimized</c>). A request answered twice (a retry, a repeated call) counts twice,
    /// with the same faults both times.
    /// </summary>
    public IReadOnlyDictionary<(string AccountId, string Region, string Operation, string MemberPath), long> MalformedValuesWritten() =>
        _responder.MalformedValuesWritten();

    /// <summary>How many requests are being answered right now (latency included).</summary>
    public int ConcurrentRequests => Volatile.Read(ref _inFlight);

    /// <summary>The most requests that were being answered at the same time (latency included).</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <summary>The long-term access key of the management account.</summary>
    public string ManagementAccessKey => SimulatedCredentials.AccessKeyFor(World.ManagementAccount.Id);

    /// <summary>The secret key of an access key.</summary>
    public string SecretFor(string accessKeyId) => SimulatedCredentials.SecretFor(accessKeyId, World.Seed);

    /// <summary>Starts the simulator on 127.0.0.1.</summary>
    /// <exception cref="SimulatorStartException">The port is in use or cannot be bound.</exception>
    public static async Task<SimulatedCloud> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        var world = new SimulatedWorld(options);
        var responder = new SimulatedResponder(options, world, AwsModelBundle.Default)
        {
            Date = options.Date ?? DateOnly.FromDateTime(DateTime.UtcNow),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        SimulatedCloud? cloud = null;
        app.Run(ctx => cloud!.HandleAsync(ctx, options));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            var inUse = (e.InnerException as SocketException)?.SocketErrorCode == SocketError.AddressAlreadyInUse
                || e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase);
            var reason = inUse ? "the port is already in use; pick another with --port, or 0 for any free port" : e.Message;
            throw new SimulatorStartException($"cannot listen on 127.0.0.1:{options.Port}: {reason}", e);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        cloud = new SimulatedCloud(app, responder, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return cloud;
    }

    private async Task HandleAsync(HttpContext ctx, SimulatorOptions options)
    {
        Interlocked.Increment(ref _requests);
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            if (Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) == max) break;
        }
        try
        {
            await AnswerAsync(ctx, options).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext ctx, SimulatorOptions options)
    {
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body, ctx.RequestAborted).ConfigureAwait(false);
        var rawTarget = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.ToString();
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in ctx.Request.Headers) headers[k] = v.ToString();
        var request = new SimulatedRequest(ctx.Request.Method, q < 0 ? rawTarget : rawTarget[..q],
            q < 0 ? [] : SimulatedRequest.ParseQueryString(rawTarget[(q + 1)..]), headers, body.ToArray());

        options.OnRequest?.Invoke(request);
        SimulatedResponse response;
        SimulatedResponder.Fault fault;
        await _answering.WaitAsync(ctx.RequestAborted).ConfigureAwait(false);
        try
        {
            string? service;
            (response, fault, service, _) = _responder.Respond(request);
            if (service is not null && SigV4Scope.Parse(headers.GetValueOrDefault("Authorization")) is { } scope
                && SimulatedCredentials.AccountOf(scope.AccessKeyId) is { } account)
            {
                _requestsByScope.AddOrUpdate((account, scope.Region, service), 1, (_, n) => n + 1);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug in the simulator: answer like AWS's own internal errors, and say what broke.
            await Console.Error.WriteLineAsync($"simulator: internal error on {request.Method} {request.RawPath}: {e}").ConfigureAwait(false);
            ctx.Response.StatusCode = 500;
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync("InternalError: " + e.Message, ctx.RequestAborted).ConfigureAwait(false);
            return;
        }
        finally
        {
            _answering.Release();
        }
        if (options.Latency.MaxMs > 0)
        {
            await Task.Delay(options.Latency.Sample(Random.Shared.NextDouble()), ctx.RequestAborted).ConfigureAwait(false);
        }
        if (fault == SimulatedResponder.Fault.Timeout)
        {
            // Hang until the client gives up (or a minute passes), like an overloaded endpoint.
            await Task.Delay(TimeSpan.FromMinutes(1), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            ctx.Abort();
            return;
        }
        ctx.Response.StatusCode = response.StatusCode;
        foreach (var (k, v) in response.Headers) ctx.Response.Headers.Append(k, v);
        ctx.Response.ContentLength = response.Body.Length;
        if (fault == SimulatedResponder.Fault.Truncate && response.Body.Length > 1)
        {
            await ctx.Response.Body.WriteAsync(response.Body.AsMemory(0, response.Body.Length / 2), ctx.RequestAborted).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            ctx.Abort();
            return;
        }
        await ctx.Response.Body.WriteAsync(response.Body, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _answering.Dispose();
    }
}
