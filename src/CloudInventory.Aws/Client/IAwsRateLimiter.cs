namespace CloudInventory.Aws.Client;

/// <summary>
/// Paces requests per account/region/service scope. The client awaits <see cref="AcquireAsync"/> before
/// every attempt (retries included) and reports throttling responses, so an implementation such as a
/// token bucket can slow a scope down when AWS pushes back.
/// </summary>
public interface IAwsRateLimiter
{
    /// <summary>Waits until a request may be sent in <paramref name="scope"/>.</summary>
    ValueTask AcquireAsync(AwsRateLimitScope scope, CancellationToken cancellationToken = default);

    /// <summary>AWS throttled a request in <paramref name="scope"/>; <paramref name="retryAfter"/> is the server's hint, if any.</summary>
    void OnThrottled(AwsRateLimitScope scope, TimeSpan? retryAfter);
}
