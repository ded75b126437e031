namespace CloudInventory.Query;

/// <summary>Options for <see cref="InventoryDatabase.Open"/>.</summary>
public sealed class InventoryDatabaseOptions
{
    /// <summary>
    /// Tag scopes (ANDed): every view of a table that has a <c>tags</c> map column shows only the rows
    /// with these tag values. Tables without a <c>tags</c> column are not filtered.
    /// </summary>
    public IReadOnlyList<TagFilter> TagFilters { get; init; } = [];

    /// <summary>
    /// The output file of the query (any format), or null: refused when it is in the store or its cache (links resolved), and the one
    /// file <see cref="InventoryDatabase.ExportParquet"/> may write.
    /// </summary>
    public string? ExportPath { get; init; }

    /// <summary>
    /// For an <c>s3://</c> store: the base directory of the local caches (see <see cref="S3StoreCache.BaseDirectory"/>);
    /// null for <c>$CLOUDINV_CACHE_DIR</c> or <c>~/.cache/cloudinv/stores</c>.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// For an <c>s3://</c> store: how to reach S3 (endpoint, region, credentials; bucket and prefix come from the location);
    /// null for <see cref="Storage.InventoryStores.S3Options"/>, which reads the environment as the AWS SDKs do.
    /// </summary>
    public Storage.S3InventoryStoreOptions? S3 { get; init; }

    /// <summary>
    /// Where the SHA-256 of verified store files are remembered (by path, size, times and inode), so each file is hashed
    /// once; null to hash in memory only (once per database). See <see cref="S3StoreCache.HashesDirectory"/>.
    /// </summary>
    public string? HashCacheDirectory { get; init; }

    /// <summary>
    /// DuckDB's <c>memory_limit</c> for this database (its buffer pool: scans, joins, aggregates; beyond it DuckDB spills to its
    /// private temporary folder), or null for DuckDB's default of 80% of the machine's memory. A host that keeps several
    /// databases open (<c>cloudinv serve</c>) sets it. With a limit, the caches that would outlive a query (Parquet footers,
    /// file data) are off and the allocator returns freed memory in the background; the first such database in a process also
    /// asks DuckDB's jemalloc to return freed pages at once (<c>DUCKDB_JE_MALLOC_CONF</c>, unless set: see <c>NativeAllocator</c>).
    /// </summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>DuckDB's <c>threads</c> for this database, or null for DuckDB's default (one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// For a local store: its manifests as another open database over the same store read them (<see cref="InventoryDatabase.StoreManifests"/>),
    /// used instead of reading them again, so a host's databases over one store share one copy (a year of manifests is tens of MB);
    /// null to read them. An <c>s3://</c> store syncs its manifests on opening either way.
    /// </summary>
    internal Storage.StoreManifests? Manifests { get; init; }

    /// <summary>Told each warning as it happens: a manifest or file left out, a symbolic link skipped (see <see cref="InventoryDatabase.Warnings"/>).</summary>
    public Action<string>? Warning { get; init; }
}
