using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server.Internal;

/// <summary>
/// The pages and their assets, embedded in the assembly (<c>wwwroot/</c>, and Chart.js vendored from npm at build time):
/// every page is the same shell, whose script renders the page its path names from <c>/api/v1</c>; plus the login page.
/// </summary>
internal sealed class DashboardPages(AccessControl access) : IDashboardEndpointGroup
{
    public static readonly string[] PagePaths = ["/", "/changes", "/explorer", "/tags", "/posture", "/sql"];
    private const string Prefix = "CloudInventory.Server.wwwroot.";
    private static readonly FrozenDictionary<string, (byte[] Body, string Type, string ETag)> Assets = Load();

    public void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var path in PagePaths) endpoints.MapGet(path, (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription();
        endpoints.MapGet("/assets/{**path}", (HttpContext context, string path) => Serve(context, path)).ExcludeFromDescription();
        endpoints.MapGet("/login", (HttpContext context) => Serve(context, "login.html")).ExcludeFromDescription();
        endpoints.MapPost("/login", async (HttpContext context) =>
        {
            if (!access.RequiresToken) return Results.Redirect("/");
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            if (!access.IsValidToken(form["token"].ToString())) return Results.Redirect("/login?failed=1");
            context.Response.Cookies.Append(AccessControl.CookieName, access.SessionCookieValue, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/", IsEssential = true,
            });
            return Results.Redirect("/");
        }).ExcludeFromDescription().DisableAntiforgery();
    }

    private static IResult Serve(HttpContext context, string path)
    {
        if (!Assets.TryGetValue(path, out var asset)) return Results.Json(new ErrorBody($"no asset {path}"), ApiJson.Options, statusCode: StatusCodes.Status404NotFound);
        context.Response.Headers.ETag = asset.ETag;
        context.Response.Headers.CacheControl = path.EndsWith(".html", StringComparison.Ordinal) ? "no-cache" : "public, max-age=300";
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Body, asset.Type);
    }

    private static FrozenDictionary<string, (byte[], string, string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var body = buffer.ToArray();
            var path = name[Prefix.Length..];
            assets[path] = (body, ContentType(path), "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..16] + "\"");
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
