using System.Collections.Concurrent;
using CloudInventory.Aws.Client;

namespace CloudInventory.Collection;

/// <summary>
/// Client-side rate limits per (account, region, service): a token bucket each, refilled at a rate
/// that starts from AWS's documented limits, halves when the service throttles and creeps back up
/// while calls succeed (additive increase, multiplicative decrease).
/// </summary>
public sealed class AdaptiveRateLimiter : IAwsRateLimiter
{
    // Steady request rates (per second) per service that stay within AWS's documented API limits for
    // read calls. Services not listed get DefaultRate.
    private static readonly Dictionary<string, double> s_rates = new(StringComparer.Ordinal)
    {
        ["ec2"] = 20, ["iam"] = 10, ["sts"] = 20, ["organizations"] = 5, ["s3"] = 50, ["cloudfront"] = 5, ["route53"] = 5,
        ["lambda"] = 10, ["rds"] = 10, ["dynamodb"] = 20, ["kms"] = 20, ["sqs"] = 20, ["sns"] = 10, ["ecs"] = 20,
        ["eks"] = 10, ["elbv2"] = 10, ["elb"] = 10, ["cloudwatch"] = 10, ["cloudwatchlogs"] = 5, ["ssm"] = 10,
        ["secretsmanager"] = 20, ["autoscaling"] = 10, ["cloudformation"] = 5, ["apigateway"] = 5, ["wafv2"] = 5,
    };

    private readonly ConcurrentDictionary<AwsRateLimitScope, Bucket> _buckets = new();
    private readonly TimeProvider _clock;
    private long _throttles;

    /// <summary>Creates a limiter; <paramref name="rateMultiplier"/> scales every rate (e.g. 0.5 to be gentler).</summary>
    public AdaptiveRateLimiter(double rateMultiplier = 1.0, TimeProvider? clock = null)
    {
        RateMultiplier = rateMultiplier;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The rate of services without a listed limit (requests per second).</summary>
    public static double DefaultRate => 10;

    /// <summary>Scales every configured rate.</summary>
    public double RateMultiplier { get; }

    /// <summary>How many times a service throttled a call.</summary>
    public long Throttles => Interlocked.Read(ref _throttles);

    /// <summary>The starting rate for a service (requests per second).</summary>
    public double RateFor(string service) => (s_rates.TryGetValue(service, out var rate) ? rate : DefaultRate) * RateMultiplier;

    /// <inheritdoc />
    public ValueTask AcquireAsync(AwsRateLimitScope scope, CancellationToken cancellationToken = default)
    {
        var bucket = _buckets.GetOrAdd(scope, s => new Bucket(RateFor(s.Service), _clock));
        var wait = bucket.Take();
        return wait <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(wait, _clock, cancellationToken));
    }

    /// <inheritdoc />
    public void OnThrottled(AwsRateLimitScope scope, TimeSpan? retryAfter)
    {
        Interlocked.Increment(ref _throttles);
        _buckets.GetOrAdd(scope, s => new Bucket(RateFor(s.Service), _clock)).Throttled();
    }

    /// <summary>The lowest wall time the configured rates allow for <paramref name="calls"/> calls in one scope.</summary>
    public TimeSpan LowerBound(string service, long calls) =>
        TimeSpan.FromSeconds(Math.Max(0, calls - Bucket.BurstFor(RateFor(service))) / RateFor(service));

    private sealed class Bucket(double rate, TimeProvider clock)
    {
        private readonly Lock _lock = new();
        private readonly double _maxRate = rate;
        private double _rate = rate;
        private double _tokens = BurstFor(rate);
        private long _last = clock.GetTimestamp();

        public static double BurstFor(double rate) => Math.Max(1, rate * 2);

        // Takes a token (possibly going into debt) and returns how long the caller must wait for it.
        public TimeSpan Take()
        {
            lock (_lock)
            {
                Refill();
                _tokens -= 1;
                if (_tokens >= 0)
                {
                    // Success path: recover towards the configured rate.
                    _rate = Math.Min(_maxRate, _rate + _maxRate * 0.01);
                    return TimeSpan.Zero;
                }
                return TimeSpan.FromSeconds(-_tokens / _rate);
            }
        }

        public void Throttled()
        {
            lock (_lock)
            {
                Refill();
                _rate = Math.Max(_maxRate / 16, _rate / 2);
                _tokens = Math.Min(_tokens, 0);
            }
        }

        private void Refill()
        {
            var now = clock.GetTimestamp();
            var elapsed = clock.GetElapsedTime(_last, now).TotalSeconds;
            _last = now;
            _tokens = Math.Min(BurstFor(_rate), _tokens + elapsed * _rate);
        }
    }
}
