using Azure;
using Azure.Core;

namespace CloudInventory.Azure.Internal;

/// <summary>
/// How long to wait before trying again: the server's word first (<c>Retry-After</c>, which Azure.Core reads, or
/// Resource Graph's <c>x-ms-user-quota-resets-after</c> on a throttled answer), else exponential back-off.
/// </summary>
internal sealed class AzureRetryDelay(TimeSpan maxDelay) : DelayStrategy(maxDelay, jitterFactor: 0.2)
{
    private static readonly TimeSpan s_initial = TimeSpan.FromMilliseconds(400);

    protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber)
    {
        if (response is not null && (response.Status == 429 || QuotaSpent(response))
            && response.Headers.TryGetValue(ResourceGraphQuota.ResetsAfterHeader, out var text)
            && ResourceGraphQuota.ParseResetsAfter(text) is { } resetsAfter)
        {
            return resetsAfter + TimeSpan.FromMilliseconds(50);
        }
        var exponent = Math.Min(retryNumber - 1, 10);
        return TimeSpan.FromTicks(s_initial.Ticks * (1L << Math.Max(exponent, 0)));
    }

    private static bool QuotaSpent(Response response) =>
        response.Headers.TryGetValue(ResourceGraphQuota.RemainingHeader, out var r) && r == "0";
}
