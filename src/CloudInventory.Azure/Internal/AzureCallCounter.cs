using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudInventory.Azure.Internal;

/// <summary>A per-try pipeline step that counts the tries a client sends and the throttled (429) answers it gets.</summary>
internal sealed class AzureCallCounter : HttpPipelinePolicy
{
    private long _calls;
    private long _throttles;

    public long Calls => Interlocked.Read(ref _calls);

    public long Throttles => Interlocked.Read(ref _throttles);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _calls);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        Count(message);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _calls);
        ProcessNext(message, pipeline);
        Count(message);
    }

    private void Count(HttpMessage message)
    {
        if (message.HasResponse && message.Response.Status == 429) Interlocked.Increment(ref _throttles);
    }
}
