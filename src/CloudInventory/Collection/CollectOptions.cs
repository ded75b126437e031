using CloudInventory.Aws.Credentials;

namespace CloudInventory.Collection;

/// <summary>What a collection run covers and where it writes.</summary>
public sealed class CollectOptions
{
    /// <summary>The shared config/credentials profile of the base credentials (ignored when <see cref="Credentials"/> is set).</summary>
    public string? Profile { get; set; }

    /// <summary>Base credentials; null uses the standard chain (with <see cref="Profile"/>).</summary>
    public AwsCredentialSource? Credentials { get; set; }

    /// <summary>The accounts to collect; empty means the caller's account (or the organisation's, with <see cref="Organization"/>).</summary>
    public IReadOnlyList<string> Accounts { get; set; } = [];

    /// <summary>Discover the accounts through AWS Organizations (suspended accounts are skipped).</summary>
    public bool Organization { get; set; }

    /// <summary>With <see cref="Organization"/>: only accounts under these OUs (ids or names), at any depth.</summary>
    public IReadOnlyList<string> IncludeOrganizationalUnits { get; set; } = [];

    /// <summary>With <see cref="Organization"/>: leave out accounts under these OUs (ids or names).</summary>
    public IReadOnlyList<string> ExcludeOrganizationalUnits { get; set; } = [];

    /// <summary>The role to assume in each account other than the caller's.</summary>
    public string? RoleName { get; set; }

    /// <summary>The external id AssumeRole passes, if the roles require one.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The regions; null means each account's enabled regions.</summary>
    public IReadOnlyList<string>? Regions { get; set; }

    /// <summary>Globs over table names; empty means every curated table of <see cref="Clouds"/>.</summary>
    public IReadOnlyList<string> Tables { get; set; } = [];

    /// <summary>
    /// The clouds to collect; null means the clouds of the tables <see cref="Tables"/> selects, or AWS alone when no
    /// tables are given. With clouds given, only their tables are collected.
    /// </summary>
    public IReadOnlyList<CloudInventory.Catalog.Cloud>? Clouds { get; set; }

    /// <summary>The Azure scope and connection (used when the run collects Azure tables).</summary>
    public AzureCollectOptions Azure { get; set; } = new();

    /// <summary>The store: a directory or <c>s3://bucket/prefix</c>.</summary>
    public string Store { get; set; } = "./inventory";

    /// <summary>Connection settings of an <c>s3://</c> store (endpoint, credentials, path style); null derives them from <see cref="Store"/>.</summary>
    public CloudInventory.Storage.S3InventoryStoreOptions? StoreOptions { get; set; }

    /// <summary>
    /// The run id (<c>YYYYMMDDTHHMMSSZ-xxxxxx</c>); null makes one. Shards of one collection should share it
    /// (e.g. derived from the Kubernetes job's start) so queries see them as one run.
    /// </summary>
    public string? RunId { get; set; }

    /// <summary>This worker's share of the work, e.g. <c>2/4</c>; null for all of it.</summary>
    public string? Shard { get; set; }

    /// <summary>Send every AWS call to this endpoint (a simulator, a proxy).</summary>
    public Uri? EndpointUrl { get; set; }

    /// <summary>How many work units run at once.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>How many per-row enrichment calls of one page run at once.</summary>
    public int EnrichmentConcurrency { get; set; } = 4;

    /// <summary>Attempts per call, retries included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Backoff settings (null: the defaults, with <see cref="MaxAttempts"/>).</summary>
    public CloudInventory.Aws.Client.AwsRetryOptions? Retry { get; set; }

    /// <summary>How long one attempt may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Scales the client-side rate limits.</summary>
    public double RateMultiplier { get; set; } = 1.0;

    /// <summary>The report time of the snapshot; null means now. (The demo replays past days.)</summary>
    public DateTimeOffset? ReportTime { get; set; }

    /// <summary>The region of account-level calls (STS, Organizations, DescribeRegions) and of global tables.</summary>
    public string HomeRegion { get; set; } = "us-east-1";

    /// <summary>Where the run's events go (run started/finished, accounts entered or failed, table errors, throttling); none by default.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; set; }
}
