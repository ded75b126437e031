namespace CloudInventory.Simulator;

/// <summary>How the simulated cloud behaves: its world and its faults.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The loopback port (0 picks a free one).</summary>
    public int Port { get; set; }

    /// <summary>The world's seed: the same seed and date give the same world, byte for byte.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>How many accounts the organisation has (the first is the management account).</summary>
    public int Accounts { get; set; } = 3;

    /// <summary>The enabled regions; one more opt-in region is listed by DescribeRegions but not enabled.</summary>
    public IReadOnlyList<string> Regions { get; set; } = ["us-east-1", "eu-west-1"];

    /// <summary>Multiplies the number of resources of every kind.</summary>
    public double Scale { get; set; } = 1.0;

    /// <summary>The world's date; null follows the clock (UTC).</summary>
    public DateOnly? Date { get; set; }

    /// <summary>The items per page of paginated listings (small, so paging paths are exercised).</summary>
    public int PageSize { get; set; } = 5;

    /// <summary>
    /// How many paged listings (per account, region, operation, input and date) are kept, so that each page does not
    /// recompute the whole list; least recently used first out. A listing keeps its records (who is alive, a few bytes
    /// each), not its items' JSON: each page builds only its own items. A listing is paged while its client walks it,
    /// so about twice the clients' concurrency is enough.
    /// </summary>
    public int PagedResultCacheSize { get; set; } = 64;

    /// <summary>Added latency per call.</summary>
    public LatencyDistribution Latency { get; set; } = LatencyDistribution.None;

    /// <summary>The share of calls answered with the protocol's throttling error.</summary>
    public double ThrottleRate { get; set; }

    /// <summary>The share of calls answered with HTTP 500/503.</summary>
    public double ErrorRate { get; set; }

    /// <summary>The share of calls that hang until the client gives up.</summary>
    public double TimeoutRate { get; set; }

    /// <summary>The share of successful responses cut short mid-body.</summary>
    public double TruncateRate { get; set; }

    /// <summary>
    /// The share of boolean, integer, long, float, double and timestamp values in response bodies written as malformed
    /// text (<c>None</c> for booleans, <c>N/A</c> for numbers, <c>not-a-date</c> for timestamps), as some AWS emulators
    /// answer. Deterministic: the same seed, account, request and value position give the same fault
    /// (<see cref="SimulatedCloud.MalformedValuesWritten"/> says which values were damaged). Pagination tokens and
    /// more-results flags, header- and status-bound members, and STS (whose credentials the SDK itself parses) are never damaged.
    /// </summary>
    public double MalformedRate { get; set; }

    /// <summary>Called with every request received, before it is answered (for tests that compare clients' requests).</summary>
    public Action<CloudInventory.Simulator.Protocols.SimulatedRequest>? OnRequest { get; set; }

    /// <summary>(account id, service name) pairs answered with AccessDenied; "*" matches any account.</summary>
    public ISet<(string Account, string Service)> AccessDenied { get; } = new HashSet<(string, string)>();
}
