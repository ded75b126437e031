using CloudInventory.Text;

namespace CloudInventory.Cli.Settings;

/// <summary>Every setting of the command line, each declared once; commands bind the ones they use.</summary>
internal static class CliSettings
{
    public static readonly Setting Store = new("store", SettingKind.Text,
        "The store: a directory, or s3://bucket/prefix (queries read S3 through a local cache that downloads only the files a query needs, each once).",
        Default: "./inventory");

    public static readonly Setting CacheDir = new("cache_dir", SettingKind.Text,
        "For s3:// stores: the base directory of the local caches (one subdirectory per store); default ~/.cache/cloudinv/stores.");

    public static readonly Setting EndpointUrl = new("endpoint_url", SettingKind.Text,
        "Send AWS calls here (the simulator, an S3-compatible server); default the profile's endpoint_url, $AWS_ENDPOINT_URL_<SERVICE>, $AWS_ENDPOINT_URL, then AWS.");

    public static readonly Setting Format = new("format", SettingKind.Text,
        "Output format: table, csv, json or jsonl (some commands also parquet or chart).", Default: "table on a terminal, csv otherwise");

    public static readonly Setting Profile = new("profile", SettingKind.Text, "The AWS profile of the base credentials (and its endpoint_url).");

    public static readonly Setting Accounts = new("accounts", SettingKind.List, "Accounts (comma-separated or repeated); default: the caller's, or every account with --org.",
        Aliases: ["--account"], Greedy: true);

    public static readonly Setting Regions = new("regions", SettingKind.List, "Regions (comma-separated or repeated); default: each account's enabled regions.",
        Aliases: ["--region"], Greedy: true);

    public static readonly Setting Tables = new("tables", SettingKind.List, "Table globs, e.g. 'aws_ec2_*' (comma-separated or repeated).",
        Aliases: ["--table"], Greedy: true);

    public static readonly Setting Clouds = new("clouds", SettingKind.List,
        "The clouds to collect: aws, azure or both (comma-separated); default: the clouds of --tables, else aws.", Aliases: ["--cloud"], Greedy: true);

    public static readonly Setting Subscriptions = new("subscriptions", SettingKind.List,
        "Azure subscriptions (GUIDs, comma-separated or repeated); default: every subscription the credential sees (only Enabled ones are collected).",
        Aliases: ["--subscription"], Greedy: true);

    public static readonly Setting ManagementGroup = new("management_group", SettingKind.Text, "Only the Azure subscriptions below this management group (its id), at any depth.");

    public static readonly Setting ExcludedSubscriptions = new("exclude_subscriptions", SettingKind.List, "Azure subscriptions (GUIDs) to leave out.", Greedy: true);

    public static readonly Setting AzureEndpoint = new("azure_endpoint", SettingKind.Text,
        "The Azure Resource Manager endpoint (https; a sovereign cloud or the simulator).", Default: "https://management.azure.com");

    public static readonly Setting Organization = new("org", SettingKind.Switch, "Discover the accounts through AWS Organizations (suspended accounts are skipped).");

    public static readonly Setting OrganizationalUnits = new("ou", SettingKind.List, "With --org: only accounts under these OUs (id or name).", Greedy: true);

    public static readonly Setting ExcludedOrganizationalUnits = new("exclude_ou", SettingKind.List, "With --org: leave out accounts under these OUs (id or name).", Greedy: true);

    public static readonly Setting RoleName = new("role_name", SettingKind.Text, "Role to assume in each account other than the caller's.");

    public static readonly Setting ExternalId = new("external_id", SettingKind.Text, "External id for AssumeRole.", Secret: true);

    public static readonly Setting Shard = new("shard", SettingKind.Text,
        "This worker's share, k/n (1-based); without it, $JOB_COMPLETION_INDEX (0-based, Kubernetes Indexed Jobs) with shard_count.");

    public static readonly Setting ShardCount = new("shard_count", SettingKind.Number, "The number of shards when the shard index comes from $JOB_COMPLETION_INDEX.");

    public static readonly Setting RunId = new("run_id", SettingKind.Text, "The run id, shared by the shards of one collection (e.g. 20261125T060000Z-0a1b2c).");

    public static readonly Setting JobName = new("job_name", SettingKind.Text,
        "The scheduled job this shard belongs to, so that its shards share one run id: a Kubernetes CronJob's Job name (its job-name label; it ends in the scheduled time in minutes since 1970) or <name>@<ISO-8601 scheduled time> (EventBridge Scheduler).");

    public static readonly Setting Concurrency = new("concurrency", SettingKind.Number, "Work units at once.", Default: "32");

    public static readonly Setting MaxAttempts = new("max_attempts", SettingKind.Number, "Attempts per AWS call, retries included.", Default: "5");

    public static readonly Setting LogFormat = new("log_format", SettingKind.Text,
        "Log the run's events to standard error: text, or json (one event per line, for log systems); no progress lines then.");

    public static readonly Setting WhereTag = new("where_tag", SettingKind.List,
        "Only resources tagged Key=Value (repeatable; ANDed). Every view of a table with a tags column is filtered; tables without tags stay whole in query, and are left out of diff and trend.", SplitCommas: false);

    public static readonly Setting OlderThan = new("older_than", SettingKind.Text, $"An age ({Age.Forms}).");

    /// <summary>Every setting, in the order <c>config show</c> prints them.</summary>
    public static readonly IReadOnlyList<Setting> All =
    [
        Store, CacheDir, EndpointUrl, Format, Profile, Accounts, Regions, Tables, Organization, OrganizationalUnits, ExcludedOrganizationalUnits,
        RoleName, ExternalId, Clouds, Subscriptions, ManagementGroup, ExcludedSubscriptions, AzureEndpoint, Shard, ShardCount, RunId, JobName, Concurrency, MaxAttempts, WhereTag, OlderThan,
    ];

    /// <summary>The setting of a config key or environment suffix, or null.</summary>
    public static Setting? Find(string name) => All.FirstOrDefault(s => s.Name == name.Replace('-', '_'));
}
