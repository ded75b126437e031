using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CloudInventory.Server.Internal;

/// <summary>The one shape of every error response: <c>{"error": "what, where, what to do"}</c>, never a stack trace.</summary>
internal static class ApiErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody(message), ApiJson.Options, context.RequestAborted).ConfigureAwait(false);
    }
}
