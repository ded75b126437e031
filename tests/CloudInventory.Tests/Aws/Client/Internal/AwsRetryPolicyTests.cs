using CloudInventory.Aws.Client;
using CloudInventory.Aws.Client.Internal;

namespace CloudInventory.Tests.Aws.Client.Internal;

public class AwsRetryPolicyTests
{
    [Theory]
    [InlineData(400, "Throttling", "Throttling")]
    [InlineData(400, "ThrottlingException", "Throttling")]
    [InlineData(503, "RequestLimitExceeded", "Throttling")]
    [InlineData(400, "TooManyRequestsException", "Throttling")]
    [InlineData(503, "SlowDown", "Throttling")]
    [InlineData(400, "RequestThrottled", "Throttling")]
    [InlineData(400, "ProvisionedThroughputExceededException", "Throttling")]
    [InlineData(429, "", "Throttling")]
    [InlineData(500, "", "Transient")]
    [InlineData(502, "", "Transient")]
    [InlineData(503, "", "Transient")]
    [InlineData(504, "", "Transient")]
    [InlineData(400, "RequestTimeout", "Transient")]
    [InlineData(400, "ValidationException", "None")]
    [InlineData(403, "AccessDenied", "None")]
    [InlineData(404, "NoSuchBucket", "None")]
    public void Classifies_errors(int status, string code, string reason) =>
        Assert.Equal(reason, AwsRetryPolicy.Classify(status, code).ToString());

    [Fact]
    public void Treats_connection_failures_and_resets_as_transient()
    {
        Assert.True(AwsRetryPolicy.IsTransient(new HttpRequestException("reset", new IOException("connection reset"))));
        Assert.True(AwsRetryPolicy.IsTransient(new IOException("broken pipe")));
        Assert.True(AwsRetryPolicy.IsTransient(new TimeoutException()));
        Assert.False(AwsRetryPolicy.IsTransient(new InvalidOperationException()));
    }

    [Fact]
    public void Backs_off_exponentially_with_jitter_up_to_the_cap()
    {
        var policy = new AwsRetryPolicy(new AwsRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), Jitter = () => 1.0 });
        Assert.Equal([100, 200, 400, 800, 1000, 1000], Enumerable.Range(1, 6).Select(r => policy.Backoff(r, AwsRetryReason.Transient, null).TotalMilliseconds));
        var half = new AwsRetryPolicy(new AwsRetryOptions { ThrottlingBaseDelay = TimeSpan.FromSeconds(1), Jitter = () => 0.25 });
        Assert.Equal(TimeSpan.FromMilliseconds(500), half.Backoff(2, AwsRetryReason.Throttling, null));
    }

    [Fact]
    public void Honours_retry_after_within_its_cap()
    {
        var policy = new AwsRetryPolicy(new AwsRetryOptions { MaxRetryAfter = TimeSpan.FromSeconds(30), Jitter = () => 0 });
        Assert.Equal(TimeSpan.FromSeconds(5), policy.Backoff(1, AwsRetryReason.Throttling, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Backoff(1, AwsRetryReason.Throttling, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Parses_retry_after_as_seconds_or_a_date()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(12), AwsRetryPolicy.ParseRetryAfter("12", now));
        Assert.Equal(TimeSpan.FromSeconds(10), AwsRetryPolicy.ParseRetryAfter("Fri, 02 Jan 2026 03:04:15 GMT", now));
        Assert.Equal(TimeSpan.Zero, AwsRetryPolicy.ParseRetryAfter("Fri, 02 Jan 2026 03:00:00 GMT", now));
        Assert.Null(AwsRetryPolicy.ParseRetryAfter("soon", now));
        Assert.Null(AwsRetryPolicy.ParseRetryAfter(null, now));
    }
}
