namespace CloudInventory.Aws.Client;

/// <summary>
/// How the client retries throttled and transient failures: capped exponential backoff with full
/// jitter (a random delay between zero and <c>min(MaxDelay, base × 2^(retry-1))</c>), never shorter
/// than a <c>Retry-After</c> the server sent (capped by <see cref="MaxRetryAfter"/>).
/// </summary>
public sealed class AwsRetryOptions
{
    /// <summary>Attempts per request, the first included (default 5; 1 disables retries).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The backoff base for transient failures (5xx, timeouts, connection errors). Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The backoff base for throttling. Default 1 s.</summary>
    public TimeSpan ThrottlingBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of one backoff delay. Default 20 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest <c>Retry-After</c> honoured. Default 60 s.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Waits between attempts (default <see cref="Task.Delay(TimeSpan, CancellationToken)"/>); tests inject a recorder.</summary>
    public Func<TimeSpan, CancellationToken, Task> DelayAsync { get; set; } = Task.Delay;

    /// <summary>The jitter source, a number in [0, 1) (default <see cref="Random.Shared"/>).</summary>
    public Func<double> Jitter { get; set; } = Random.Shared.NextDouble;
}
