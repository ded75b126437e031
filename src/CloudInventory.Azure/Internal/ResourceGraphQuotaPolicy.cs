using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudInventory.Azure.Internal;

/// <summary>
/// A per-try pipeline step for Resource Graph calls: waits for the quota before each try and learns it from each
/// answer, throttled ones included (the retry policy around it sees those only as a status).
/// </summary>
internal sealed class ResourceGraphQuotaPolicy(ResourceGraphQuota quota) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var paced = IsResourceGraph(message);
        if (paced) await quota.AcquireAsync(message.CancellationToken).ConfigureAwait(false);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (paced) Observe(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var paced = IsResourceGraph(message);
        if (paced) quota.AcquireAsync(message.CancellationToken).AsTask().GetAwaiter().GetResult();
        ProcessNext(message, pipeline);
        if (paced) Observe(message);
    }

    private void Observe(HttpMessage message)
    {
        if (!message.HasResponse) return;
        message.Response.Headers.TryGetValue(ResourceGraphQuota.RemainingHeader, out var remaining);
        message.Response.Headers.TryGetValue(ResourceGraphQuota.ResetsAfterHeader, out var resetsAfter);
        quota.Observe(remaining, resetsAfter);
    }

    private static bool IsResourceGraph(HttpMessage message) =>
        message.Request.Uri.Path.Contains("/providers/Microsoft.ResourceGraph/", StringComparison.OrdinalIgnoreCase);
}
