using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudInventory.Simulator.Azure;

/// <summary>
/// A simulated Azure on one loopback HTTPS port: the Entra ID token endpoint (client credentials), Resource
/// Manager's subscriptions and management groups, and Resource Graph (the KQL the collector sends) over a
/// deterministic tenant that drifts day by day; quota headers, 429s, 5xx and cut-short answers as fault knobs.
/// The server certificate is signed by a private CA written next to it (<see cref="CaCertificatePath"/>).
/// </summary>
public sealed class SimulatedAzure : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorCertificateAuthority _authority;
    private readonly SimulatedAzureResponder _responder;

    private SimulatedAzure(WebApplication app, SimulatorCertificateAuthority authority, SimulatedAzureResponder responder, Uri endpoint, string caPath)
    {
        _app = app;
        _authority = authority;
        _responder = responder;
        Endpoint = endpoint;
        CaCertificatePath = caPath;
    }

    /// <summary>The Resource Manager endpoint, e.g. <c>https://127.0.0.1:5443</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The token authority host (the same server): set <c>AZURE_AUTHORITY_HOST</c> to it.</summary>
    public Uri AuthorityHost => Endpoint;

    /// <summary>The PEM file of the CA that signed the server certificate.</summary>
    public string CaCertificatePath { get; }

    /// <summary>The CA certificate that signed the server certificate.</summary>
    public X509Certificate2 CaCertificate => _authority.Authority;

    /// <summary>
    /// An HTTP transport for Azure SDK clients in this process whose TLS trusts exactly this simulator's CA (chain, dates
    /// and host name are all checked; validation stays on). Out of process, point <c>SSL_CERT_FILE</c> at <see cref="CaCertificatePath"/>.
    /// </summary>
    public global::Azure.Core.Pipeline.HttpClientTransport ClientTransport() => TransportTrusting(CaCertificate);

    /// <summary>A transport whose TLS trusts exactly one CA (chain, dates and host name are all checked).</summary>
    public static global::Azure.Core.Pipeline.HttpClientTransport TransportTrusting(X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(ca);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = policy;
        return new global::Azure.Core.Pipeline.HttpClientTransport(new HttpClient(handler));
    }

    /// <summary>The simulated tenant.</summary>
    public SimulatedAzureWorld World => _responder.World;

    /// <summary>The day the world shows; set it to replay another day.</summary>
    public DateOnly Date
    {
        get => _responder.Date;
        set => _responder.Date = value;
    }

    /// <summary>How many requests have been answered.</summary>
    public long RequestCount => _responder.RequestCount;

    /// <summary>How many Resource Graph calls were answered 429 because the caller outran its quota (not injected faults).</summary>
    public long QuotaExceeded => _responder.QuotaExceeded;

    /// <summary>How many Resource Graph calls were answered 429, injected or over quota.</summary>
    public long Throttled => _responder.Throttled;

    /// <summary>Starts the simulator on 127.0.0.1 and writes its CA certificate.</summary>
    /// <exception cref="SimulatorStartException">The port is in use or cannot be bound.</exception>
    public static async Task<SimulatedAzure> StartAsync(SimulatedAzureOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var authority = SimulatorCertificateAuthority.Create();
        var directory = options.CertificateDirectory ?? Directory.CreateTempSubdirectory("cloudinv-azure-sim-").FullName;
        var caPath = authority.WriteAuthorityPem(directory);
        var responder = new SimulatedAzureResponder(options, new SimulatedAzureWorld(options))
        {
            Date = options.Date ?? DateOnly.FromDateTime(DateTime.UtcNow),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port, listen => listen.UseHttps(authority.Server));
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(ctx => AnswerAsync(ctx, responder, options));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            authority.Dispose();
            var inUse = (e.InnerException as SocketException)?.SocketErrorCode == SocketError.AddressAlreadyInUse
                || e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase);
            var reason = inUse ? "the port is already in use; pick another, or 0 for any free port" : e.Message;
            throw new SimulatorStartException($"cannot listen on 127.0.0.1:{options.Port}: {reason}", e);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var endpoint = new Uri(new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).GetLeftPart(UriPartial.Authority));
        responder.Endpoint = endpoint;
        return new SimulatedAzure(app, authority, responder, endpoint, caPath);
    }

    private static async Task AnswerAsync(HttpContext ctx, SimulatedAzureResponder responder, SimulatedAzureOptions options)
    {
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body, ctx.RequestAborted).ConfigureAwait(false);
        var target = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (ctx.Request.Path + ctx.Request.QueryString).ToString();
        options.OnRequest?.Invoke(ctx.Request.Method, target, body.ToArray());
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in ctx.Request.Headers) headers[k] = v.ToString();
        SimulatedAzureResponder.Answer answer;
        try
        {
            answer = responder.Respond(ctx.Request.Method, target, headers, body.ToArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"azure simulator: internal error on {ctx.Request.Method} {target}: {e}").ConfigureAwait(false);
            answer = SimulatedAzureResponder.Error(500, "InternalServerError", "The simulator failed: " + e.Message);
        }
        if (options.Latency > TimeSpan.Zero) await Task.Delay(options.Latency, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.StatusCode = answer.Status;
        ctx.Response.ContentType = answer.ContentType;
        foreach (var (k, v) in answer.Headers) ctx.Response.Headers.Append(k, v);
        ctx.Response.ContentLength = answer.Body.Length;
        if (answer.CutShort && answer.Body.Length > 1)
        {
            await ctx.Response.Body.WriteAsync(answer.Body.AsMemory(0, answer.Body.Length / 2), ctx.RequestAborted).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            ctx.Abort();
            return;
        }
        await ctx.Response.Body.WriteAsync(answer.Body, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _authority.Dispose();
    }
}
