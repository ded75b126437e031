using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CloudInventory.Server.Internal;

/// <summary>
/// Who may use the server. With a token, every request but the login page and its stylesheet must carry it: as
/// <c>Authorization: Bearer &lt;token&gt;</c> (scripts) or as the HttpOnly, SameSite=Strict cookie the login page sets
/// (browsers; the cookie holds an HMAC of the token, never the token). Without a token (loopback only, or
/// <c>--insecure-no-auth</c>), a loopback server accepts only loopback host names, so a web page elsewhere cannot reach it
/// through DNS rebinding. The probes <c>/healthz</c> and <c>/readyz</c> never need the token; <c>/metrics</c> does, like
/// the API (a scraper sends it as a bearer token).
/// </summary>
internal sealed class AccessControl
{
    public const string CookieName = "cloudinv_session";
    private readonly byte[]? _tokenHash;
    private readonly string? _cookieValue;
    private readonly bool _loopbackHostsOnly;

    public AccessControl(string? token, bool loopback)
    {
        if (!string.IsNullOrEmpty(token))
        {
            _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            _cookieValue = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "cloudinv dashboard session"u8));
        }
        _loopbackHostsOnly = loopback && token is null;
    }

    public bool RequiresToken => _tokenHash is not null;

    public bool IsValidToken(string? candidate) =>
        _tokenHash is not null && candidate is not null
        && CryptographicOperations.FixedTimeEquals(_tokenHash, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));

    public string SessionCookieValue => _cookieValue ?? throw new InvalidOperationException("no token configured");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "/";
        if (_loopbackHostsOnly && !IsLoopbackHost(context.Request.Host.Host))
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status421MisdirectedRequest,
                $"host {context.Request.Host.Host} is not served: this dashboard listens on loopback; open it as http://127.0.0.1 or http://localhost").ConfigureAwait(false);
            return;
        }
        // Probes carry no token and learn nothing from the answer but "live"/"ready" and the last run's age.
        if (!RequiresToken || path is "/login" or "/assets/app.css" or "/healthz" or "/readyz" || IsAuthenticated(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/openapi/", StringComparison.Ordinal) || path == PrometheusEndpoint.Path)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized,
                "authentication required: send Authorization: Bearer <token> (the token given to cloudinv serve), or log in at /login").ConfigureAwait(false);
            return;
        }
        context.Response.Redirect("/login");
    }

    private bool IsAuthenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return IsValidToken(header["Bearer ".Length..].Trim());
        return request.Cookies.TryGetValue(CookieName, out var cookie)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(_cookieValue!));
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
}
