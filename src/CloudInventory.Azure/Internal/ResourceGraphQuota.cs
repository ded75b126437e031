using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Core;

namespace CloudInventory.Azure.Internal;

/// <summary>
/// Paces Resource Graph calls by the per-user quota Azure reports on every answer
/// (<c>x-ms-user-quota-remaining</c>, <c>x-ms-user-quota-resets-after</c>): when the quota is spent, calls wait
/// until the window resets. One instance per tenant and credential, shared by every client that uses them.
/// </summary>
internal sealed class ResourceGraphQuota
{
    /// <summary>The header with the calls left in the current window.</summary>
    public const string RemainingHeader = "x-ms-user-quota-remaining";

    /// <summary>The header with the time until the window resets (<c>hh:mm:ss</c>).</summary>
    public const string ResetsAfterHeader = "x-ms-user-quota-resets-after";

    private static readonly ConditionalWeakTable<TokenCredential, Dictionary<string, ResourceGraphQuota>> s_byCredential = new();

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private int _remaining = int.MaxValue;
    private int _capacity = int.MaxValue;
    private DateTimeOffset _resetAt = DateTimeOffset.MinValue;
    private long _waits;

    public ResourceGraphQuota(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>How often a call had to wait for the quota window.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>The limiter of a credential at an endpoint (a credential belongs to one tenant).</summary>
    public static ResourceGraphQuota For(TokenCredential credential, Uri endpoint)
    {
        var byEndpoint = s_byCredential.GetValue(credential, _ => []);
        lock (byEndpoint)
        {
            var key = endpoint.GetLeftPart(UriPartial.Authority);
            if (!byEndpoint.TryGetValue(key, out var quota)) byEndpoint[key] = quota = new ResourceGraphQuota();
            return quota;
        }
    }

    /// <summary>Waits until the quota allows one more call, and takes it.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (_remaining <= 0 && now >= _resetAt) _remaining = _capacity;
                if (_remaining > 0)
                {
                    if (_remaining != int.MaxValue) _remaining--;
                    return;
                }
                wait = _resetAt - now;
            }
            Interlocked.Increment(ref _waits);
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Learns the quota from an answer's headers (any status, 429 included).</summary>
    public void Observe(string? remainingText, string? resetsAfterText)
    {
        if (!int.TryParse(remainingText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining)) return;
        var resetsAfter = ParseResetsAfter(resetsAfterText) ?? TimeSpan.FromSeconds(5);
        lock (_gate)
        {
            // The server's count is the truth: it has seen every call, ours and other processes' with this credential.
            _capacity = _capacity == int.MaxValue ? remaining + 1 : Math.Max(_capacity, remaining + 1);
            _remaining = remaining;
            _resetAt = _time.GetUtcNow() + resetsAfter;
        }
    }

    /// <summary>Reads <c>hh:mm:ss</c> (or seconds); null when absent or unreadable.</summary>
    public static TimeSpan? ParseResetsAfter(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero) return span;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
    }
}
