using System.Globalization;
using System.Net.Sockets;

namespace CloudInventory.Aws.Client.Internal;

/// <summary>Why a failed attempt may be retried.</summary>
internal enum AwsRetryReason
{
    None,
    Throttling,
    Transient,
}

/// <summary>Classifies failures and computes backoff delays (see <see cref="AwsRetryOptions"/>).</summary>
internal sealed class AwsRetryPolicy(AwsRetryOptions options)
{
    private static readonly HashSet<string> s_throttlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "RequestThrottled",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
        "ThrottledRequest",
    };

    private static readonly HashSet<string> s_transientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "InternalServerError",
        "ServiceUnavailable", "ServiceUnavailableException", "IDPCommunicationError",
    };

    public AwsRetryOptions Options { get; } = options;

    public int MaxAttempts => Math.Max(1, Options.MaxAttempts);

    public static AwsRetryReason Classify(int statusCode, string? errorCode)
    {
        if (errorCode is not null && s_throttlingCodes.Contains(errorCode)) return AwsRetryReason.Throttling;
        if (statusCode == 429) return AwsRetryReason.Throttling;
        if (errorCode is not null && s_transientCodes.Contains(errorCode)) return AwsRetryReason.Transient;
        return statusCode is 500 or 502 or 503 or 504 ? AwsRetryReason.Transient : AwsRetryReason.None;
    }

    /// <summary>True for failures to get a response: connection errors, resets, and attempt timeouts.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    public TimeSpan Backoff(int retry, AwsRetryReason reason, TimeSpan? retryAfter)
    {
        var baseDelay = reason == AwsRetryReason.Throttling ? Options.ThrottlingBaseDelay : Options.BaseDelay;
        var ceiling = Math.Min(Options.MaxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        var jitter = Math.Clamp(Options.Jitter(), 0, 1);
        var delay = TimeSpan.FromMilliseconds(ceiling * jitter);
        if (retryAfter is { } hint && hint > TimeSpan.Zero)
        {
            var capped = hint < Options.MaxRetryAfter ? hint : Options.MaxRetryAfter;
            if (capped > delay) delay = capped;
        }
        return delay;
    }

    /// <summary>Parses <c>Retry-After</c> (seconds, or an HTTP date relative to <paramref name="now"/>).</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var delta = at - now;
            return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
        }
        return null;
    }
}
