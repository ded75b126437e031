using CloudInventory.Catalog;
using CloudInventory.Query;

namespace CloudInventory.Server;

/// <summary>What <see cref="DashboardServer.StartAsync"/> serves, where, and under which limits.</summary>
public sealed class DashboardServerOptions
{
    /// <summary>The default listening address: loopback only.</summary>
    public const string DefaultListen = "127.0.0.1:8080";

    /// <summary>The store: a directory or <c>s3://bucket/prefix</c> (read through the local cache).</summary>
    public required string Store { get; init; }

    /// <summary>Where to listen: <c>host:port</c> (<c>127.0.0.1:8080</c>, <c>[::1]:0</c>, <c>localhost:8080</c>, <c>0.0.0.0:8080</c>); port 0 picks a free one.</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>The token every request must carry (bearer header or the login cookie), or null. Required beyond loopback unless <see cref="InsecureNoAuth"/>.</summary>
    public string? AuthToken { get; init; }

    /// <summary>Serve beyond loopback without a token (the CLI warns).</summary>
    public bool InsecureNoAuth { get; init; }

    /// <summary>The tag keys every resource should carry (the Tags page's coverage).</summary>
    public IReadOnlyList<string> RequiredTags { get; init; } = [];

    /// <summary>How the store is opened (cache directory, S3 endpoint); tag scopes here are ignored (requests bring their own).</summary>
    public InventoryDatabaseOptions Database { get; init; } = new();

    /// <summary>The tables the store's views expose.</summary>
    public TableCatalog Catalog { get; init; } = TableCatalog.Default;

    /// <summary>The most rows one SQL query returns (the response says when it was cut).</summary>
    public int QueryRowCap { get; init; } = 10_000;

    /// <summary>The most rows one CSV export of a table returns.</summary>
    public int ExportRowCap { get; init; } = 100_000;

    /// <summary>How long one SQL statement may run before it is interrupted.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests per minute allowed from one client address.</summary>
    public int RequestsPerMinute { get; init; } = 1200;

    /// <summary>The largest request body accepted, in bytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// DuckDB's memory for the server, in bytes: the <c>memory_limit</c> of each open database (<see cref="InventoryDatabaseOptions.MemoryLimitBytes"/>;
    /// beyond it DuckDB spills to its temporary folder where it can), one of which works at a time. DuckDB's own default is
    /// 80% of the machine's memory per database.
    /// </summary>
    public long DuckDbMemoryBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>A request that allocates this many bytes or more is followed by a compacting GC that gives the memory back.</summary>
    public long TrimAfterAllocatedBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>DuckDB's threads per open database (<see cref="InventoryDatabaseOptions.Threads"/>); null for one per core.</summary>
    public int? DuckDbThreads { get; init; } = 2;

    /// <summary>Today's date (UTC) for relative references such as <c>7d</c>; null for the clock.</summary>
    public Func<DateOnly>? Today { get; init; }

    /// <summary>
    /// True when a collection fills the store later (<c>serve --schedule</c>): a store without runs yet is served, and
    /// the API answers 503 until the first run is published (<see cref="DashboardServer.ReloadStore"/>).
    /// </summary>
    public bool StoreMayBeEmpty { get; init; }

    /// <summary>What <c>/readyz</c> answers; null for "the store can be read" (a server without a schedule).</summary>
    public Func<ServerReadiness>? Readiness { get; init; }

    /// <summary>More endpoint groups to map beside the dashboard's own (health, metrics, …).</summary>
    public IReadOnlyList<IDashboardEndpointGroup> EndpointGroups { get; init; } = [];
}
