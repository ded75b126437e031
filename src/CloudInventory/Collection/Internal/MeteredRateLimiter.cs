using CloudInventory.Aws.Client;

namespace CloudInventory.Collection.Internal;

/// <summary>Counts every request (the client acquires before each attempt) and every throttle per service, then defers to the pacing limiter.</summary>
internal sealed class MeteredRateLimiter(IAwsRateLimiter inner) : IAwsRateLimiter
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _throttles = new(StringComparer.Ordinal);

    /// <summary>Throttling responses per service so far.</summary>
    public IReadOnlyDictionary<string, long> ThrottlesByService => _throttles;

    public ValueTask AcquireAsync(AwsRateLimitScope scope, CancellationToken cancellationToken = default)
    {
        CollectorMetrics.ApiCall(scope.Service);
        return inner.AcquireAsync(scope, cancellationToken);
    }

    public void OnThrottled(AwsRateLimitScope scope, TimeSpan? retryAfter)
    {
        CollectorMetrics.Throttled(scope.Service);
        _throttles.AddOrUpdate(scope.Service, 1, (_, n) => n + 1);
        inner.OnThrottled(scope, retryAfter);
    }
}
