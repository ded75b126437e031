namespace CloudInventory.Simulator.Azure;

/// <summary>How the simulated Azure behaves: its tenant, its world and its faults.</summary>
public sealed class SimulatedAzureOptions
{
    /// <summary>The loopback port (0 picks a free one).</summary>
    public int Port { get; set; }

    /// <summary>The world's seed: the same seed and date give the same world.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>How many enabled subscriptions the tenant has; one more, disabled, is always listed.</summary>
    public int Subscriptions { get; set; } = 2;

    /// <summary>Multiplies the number of resource groups (and so resources) per subscription.</summary>
    public double Scale { get; set; } = 1.0;

    /// <summary>The world's date; null follows the clock (UTC).</summary>
    public DateOnly? Date { get; set; }

    /// <summary>Where the CA certificate (<c>azure-ca.pem</c>) is written; null: a new temporary folder.</summary>
    public string? CertificateDirectory { get; set; }

    /// <summary>Resource Graph calls allowed per quota window and user (Azure: about 15 per 5 seconds).</summary>
    public int QuotaPerWindow { get; set; } = 15;

    /// <summary>The length of a quota window.</summary>
    public TimeSpan QuotaWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Items per page of subscription and management group listings (small, so nextLink paths are exercised).</summary>
    public int ListPageSize { get; set; } = 2;

    /// <summary>Added latency per call.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The share of Resource Graph calls answered 429 (quota headers say the window is spent).</summary>
    public double ThrottleRate { get; set; }

    /// <summary>The share of calls answered with HTTP 500/503.</summary>
    public double ErrorRate { get; set; }

    /// <summary>The share of successful answers cut short mid-body.</summary>
    public double TruncateRate { get; set; }

    /// <summary>The share of Resource Graph pages returned short and marked <c>resultTruncated</c> (with a token for the rest).</summary>
    public double ShortPageRate { get; set; }

    /// <summary>
    /// Plants values in write-only and secret members (a VM's <c>osProfile.adminPassword</c>, a SQL server's
    /// <c>administratorLoginPassword</c>) that real Azure never returns, so tests can prove they are never stored.
    /// </summary>
    public bool PlantSecrets { get; set; }

    /// <summary>
    /// Whether the service principal may read the management groups (Reader at the tenant root group); false: it holds
    /// Reader on the subscriptions only, and every management group call is answered 403.
    /// </summary>
    public bool ManagementGroupsReadable { get; set; } = true;

    /// <summary>Called with every request (method, path and query, body), before it is answered.</summary>
    public Action<string, string, byte[]>? OnRequest { get; set; }
}
