using Azure.Core;
using Azure.Core.Pipeline;

namespace CloudInventory.Collection;

/// <summary>
/// Which Azure subscriptions a run collects and how it reaches Azure (see <see cref="CollectOptions.Azure"/>). By
/// default every subscription the credential can see; only Enabled ones are collected, the others recorded as skipped.
/// </summary>
public sealed class AzureCollectOptions
{
    /// <summary>The subscriptions (GUIDs) to collect; empty means every one the credential sees (or the management group's).</summary>
    public IReadOnlyList<string> Subscriptions { get; set; } = [];

    /// <summary>Only the subscriptions below this management group (id), at any depth.</summary>
    public string? ManagementGroup { get; set; }

    /// <summary>Subscriptions (GUIDs) to leave out.</summary>
    public IReadOnlyList<string> ExcludeSubscriptions { get; set; } = [];

    /// <summary>The Resource Manager endpoint; null means <c>$CLOUDINV_AZURE_ENDPOINT</c>, else the public cloud's.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The credential; null means Azure.Identity's DefaultAzureCredential (honouring <c>AZURE_AUTHORITY_HOST</c>).</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The HTTP transport (tests: one that trusts the simulator's CA); null uses the system's TLS trust (<c>SSL_CERT_FILE</c>).</summary>
    public HttpPipelineTransport? Transport { get; set; }

    /// <summary>Rows per Resource Graph page (1 to 1,000).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// The most subscriptions one Resource Graph scan covers (1 to 1,000). The API takes a list of subscriptions and
    /// answers for a few hundred at most; the default, 100, keeps a request small and a failed scan's reach bounded,
    /// while a typical tenant (tens of subscriptions) is one scan per Resource Graph table, its pages full.
    /// </summary>
    public int SubscriptionsPerQuery { get; set; } = 100;

    /// <summary>The Resource Graph pages held in memory at once, across every scan of the run (each up to 1,000 rows).</summary>
    public int MaxPagesInFlight { get; set; } = 4;

    /// <summary>How often a throttled, failed or cut-short call is tried again.</summary>
    public int MaxRetries { get; set; } = 8;

    /// <summary>The longest wait between two tries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
