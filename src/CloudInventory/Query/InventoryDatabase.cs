using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Generation;
using CloudInventory.Collection;
using CloudInventory.Query.Internal;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;
using CloudInventory.Text;
using DuckDB.NET.Data;

namespace CloudInventory.Query;

/// <summary>
/// An in-memory DuckDB over a local store (or an S3 store's local <see cref="S3StoreCache"/>, which downloads the files a
/// view or scan needs when it is created) with the standard views of <see cref="StandardViews"/> in DuckDB SQL: one
/// view per catalog table over exactly the Parquet files that complete or partial run manifests list (files without a
/// manifest are invisible), <c>current_</c>, <c>daily_</c>, <c>distinct_</c> and <c>daily_distinct_</c>; the run relations
/// <c>cloudinv_runs</c>, <c>cloudinv_run_tables</c>, <c>cloudinv_run_files</c>, <c>cloudinv_daily_units</c>; and
/// <c>cloudinv_errors</c>. Each view reads only the files its rows can come from. Views are created on first mention, so
/// opening costs the same whatever the number of tables. The database can read only the store and never writes to it.
/// </summary>
public sealed partial class InventoryDatabase : IDisposable
{
    /// <summary>The view-name prefixes of the standard views, longest first (for matching names).</summary>
    public static IReadOnlyList<string> ViewPrefixes { get; } = StandardViews.Prefixes.OrderByDescending(p => p.Length).ToArray();

    private const string RunsView = StandardViews.RunsTable;
    private const string ErrorsView = "cloudinv_errors";
    private readonly DuckDBConnection _connection;
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<RunManifest> _manifests;
    private readonly string _temporaryDirectory;
    private readonly ListedFileVerifier _verifier;
    private readonly Dictionary<string, RunManifestFile> _listed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _verified = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _schemas = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private readonly Action<string>? _onWarning;

    private InventoryDatabase(string storeRoot, TableCatalog catalog, InventoryDatabaseOptions options,
        StoreManifests manifests, DuckDBConnection connection, string temporaryDirectory, S3StoreCache? cache)
    {
        Cache = cache;
        StoreRoot = storeRoot;
        Catalog = catalog;
        TagFilters = options.TagFilters;
        StoreManifests = manifests;
        _manifests = manifests.Accepted;
        _connection = connection;
        _temporaryDirectory = temporaryDirectory;
        _onWarning = options.Warning;
        _verifier = new ListedFileVerifier(storeRoot, options.HashCacheDirectory is { } hashes ? FileHashCache.Open(hashes, storeRoot) : FileHashCache.InMemory());
        foreach (var file in manifests.Accepted.SelectMany(m => m.Files)) _listed[file.Path] = file;
        Runs = InventoryRun.Merge(manifests.Accepted).Where(r => r.IsVisible).ToArray();
        foreach (var rejected in manifests.Rejected) Warn($"{rejected.Reason}; queries leave it out (cloudinv store check --repair quarantines it).");
        foreach (var skipped in manifests.Skipped) Warn(Describe(skipped));
    }

    /// <summary>
    /// What was left out so far, one sentence each: manifests that are not used, files that fail verification (missing, wrong
    /// size or SHA-256, reached through a symbolic link). Also reported through <see cref="InventoryDatabaseOptions.Warning"/>.
    /// </summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>For an <c>s3://</c> store, its local cache (which <see cref="StoreRoot"/> is); otherwise null.</summary>
    public S3StoreCache? Cache { get; }

    /// <summary>The store's root directory (absolute); for an <c>s3://</c> store, its local cache directory.</summary>
    public string StoreRoot { get; }

    /// <summary>The catalog whose tables become views.</summary>
    public TableCatalog Catalog { get; }

    /// <summary>The tag scopes every tagged view applies.</summary>
    public IReadOnlyList<TagFilter> TagFilters { get; }

    /// <summary>The visible runs (complete or partial), oldest first.</summary>
    public IReadOnlyList<InventoryRun> Runs { get; }

    /// <summary>The catalog tables that have at least one visible file, sorted.</summary>
    public IReadOnlyList<string> TablesWithData =>
        Runs.SelectMany(r => r.Tables.Where(t => t.Value.Count > 0).Select(t => t.Key))
            .Where(t => Catalog.Find(t) is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    internal DuckDBConnection Connection => _connection;

    /// <summary>This database's private temporary folder (DuckDB's temp directory; removed on dispose).</summary>
    internal string TemporaryDirectory => _temporaryDirectory;

    /// <summary>How many files this database hashed (not found in the hash cache).</summary>
    internal int FilesHashed => _verifier.Hashes.Hashed;

    /// <summary>
    /// Opens a store. A local store is read in place. An <c>s3://bucket/prefix</c> store is read through a local
    /// <see cref="S3StoreCache"/>: its manifests are synced on opening, and the data files of a table are downloaded
    /// (each once) when a query first needs them.
    /// </summary>
    /// <param name="store">The store directory or <c>s3://bucket/prefix</c>.</param>
    /// <param name="catalog">The tables to expose.</param>
    /// <param name="options">Tag scopes and the export file.</param>
    /// <exception cref="InventoryQueryException">The store does not exist, has no runs, or a manifest is invalid.</exception>
    public static InventoryDatabase Open(string store, TableCatalog catalog, InventoryDatabaseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new InventoryDatabaseOptions();
        // A host with a memory budget (serve) also wants DuckDB's freed memory back at once; set before DuckDB's first allocation.
        if (options.MemoryLimitBytes is not null) CloudInventory.Collection.Internal.NativeAllocator.PurgeDuckDbFreedPagesAtOnce();
        // DuckDB starts on another thread while the manifests are read (each takes a good part of a short command's start).
        var connecting = Task.Run(() =>
        {
            var connection = new DuckDBConnection("DataSource=:memory:");
            try
            {
                connection.Open();
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        });
        try
        {
            return OpenStore(store, catalog, options, connecting);
        }
        catch
        {
            // Not used: closed once it is open (or its own failure observed).
            connecting.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); else _ = t.Exception; }, TaskScheduler.Default);
            throw;
        }
    }

    private static InventoryDatabase OpenStore(string store, TableCatalog catalog, InventoryDatabaseOptions options, Task<DuckDBConnection> connecting)
    {
        if (InventoryStores.IsS3(store))
        {
            S3StoreCache cache;
            try
            {
                var location = InventoryStores.S3Options(store);
                var s3Options = options.S3 is null ? location : options.S3 with { Bucket = location.Bucket, Prefix = location.Prefix };
                cache = S3StoreCache.Create(s3Options, S3StoreCache.BaseDirectory(options.CacheDirectory));
            }
            catch (InventoryStoreException e)
            {
                throw new InventoryQueryException(e.Message, e);
            }
            try
            {
                cache.SyncManifestsAsync().GetAwaiter().GetResult();
                return OpenRoot(cache.Root, store, catalog, options, cache.Manifests!, cache, connecting);
            }
            catch
            {
                cache.Dispose();
                throw;
            }
        }
        var root = Path.GetFullPath(store);
        if (File.Exists(root)) throw new InventoryQueryException($"store {root} is a file, not a store directory; give the directory collect wrote to with --store.");
        if (!Directory.Exists(root)) throw new InventoryQueryException($"store {root} does not exist.");
        StoreManifests manifests;
        try
        {
            manifests = options.Manifests ?? StoreManifests.ReadAsync(new LocalInventoryStore(root)).GetAwaiter().GetResult();
            StartupTrace.Mark("manifests read");
        }
        catch (InventoryStoreException e)
        {
            throw new InventoryQueryException($"store {root} cannot be read: {e.Message}", e);
        }
        return OpenRoot(root, root, catalog, options, manifests, null, connecting);
    }

    private static InventoryDatabase OpenRoot(string root, string name, TableCatalog catalog, InventoryDatabaseOptions options, StoreManifests manifests, S3StoreCache? cache,
        Task<DuckDBConnection> connecting)
    {
        if (!manifests.Accepted.Any(m => m.Status is RunStatus.Complete or RunStatus.Partial))
        {
            var notUsed = manifests.Rejected.Count == 0 ? "" : $" ({manifests.Rejected.Count} manifests are not used, e.g. {manifests.Rejected[0].Reason}; run cloudinv store check)";
            throw new InventoryQueryException(manifests.Accepted.Count == 0
                ? $"store {name} is empty: it has no usable run manifests under {StoreLayout.ManifestsPrefix}{notUsed} (collect into it first)."
                : $"store {name} has no complete or partial run: all {manifests.Accepted.Count} run manifests say failed{notUsed}.");
        }
        if (options.ExportPath is { } export)
        {
            // Resolved through every link: an output file can never land in the store (or the cache), whatever the spelling.
            var target = ContainedPath.RealPath(export);
            if (ContainedPath.IsInside(target, ContainedPath.RealPath(root)) || ContainedPath.IsInside(target, root))
            {
                throw new InventoryQueryException($"--out {export} is inside the store {name}; the query path never writes to the store. Write the result elsewhere.");
            }
        }

        var connection = connecting.GetAwaiter().GetResult();
        string temporary;
        try
        {
            temporary = Directory.CreateTempSubdirectory("cloudinv-duckdb-").FullName;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        try
        {
            StartupTrace.Mark("duckdb opened");
            Lockdown(connection, root, temporary, options);
            var db = new InventoryDatabase(root, catalog, options, manifests, connection, temporary, cache);
            db.CreateRunsTable();
            StartupTrace.Mark("runs tables made");
            return db;
        }
        catch
        {
            connection.Dispose();
            TryDeleteDirectory(temporary);
            throw;
        }
    }

    /// <summary>
    /// Runs read-only SQL (any number of statements) and returns the reader over its results.
    /// The views the SQL mentions are created first.
    /// </summary>
    /// <exception cref="InventoryQueryException">The SQL is refused or fails; the message is DuckDB's, with the position, plus a "did you mean" for unknown tables.</exception>
    public DbDataReader ExecuteQuery(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ReadOnlySqlGuard.Check(_connection, sql);
        EnsureViewsFor(sql);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            return cmd.ExecuteReader();
        }
        catch (DuckDBException e)
        {
            throw Explain(e);
        }
    }

    /// <summary>Writes the result of one read-only SELECT to the Parquet file given as <see cref="InventoryDatabaseOptions.ExportPath"/> (zstd).</summary>
    /// <returns>The number of rows written.</returns>
    public long ExportParquet(string sql, string path)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(path);
        ReadOnlySqlGuard.Check(_connection, sql);
        var body = sql.Trim().TrimEnd(';').Trim();
        if (body.Contains(';', StringComparison.Ordinal))
        {
            throw new InventoryQueryException("--format parquet takes exactly one SELECT statement.");
        }
        EnsureViewsFor(body);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"COPY ({body}) TO {Sql.Literal(Path.GetFullPath(path))} (FORMAT parquet, COMPRESSION zstd)";
            return cmd.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw Explain(e);
        }
    }

    /// <summary>Every view name a query may use: the tables, their standard views, and the run views.</summary>
    public IEnumerable<string> ViewNames =>
        Catalog.Tables.SelectMany(t => ViewPrefixes.Select(p => p + t.Name).Prepend(t.Name))
            .Concat([RunsView, StandardViews.RunTablesView, StandardViews.RunFilesView, StandardViews.DailyUnitsView, ErrorsView, StandardViews.ResourcesView]);

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        Cache?.Dispose();
        _verifier.Hashes.Save();
        TryDeleteDirectory(_temporaryDirectory);
    }

    /// <summary>
    /// The catalog table names the SQL text may mention (each view name with and without its prefix), for
    /// <see cref="TableCatalog.Prefetch"/>: a short command builds them while the store opens.
    /// </summary>
    public static IReadOnlyList<string> TableNamesIn(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in ViewMention().Matches(sql))
        {
            var name = m.Value.ToLowerInvariant();
            names.Add(name);
            foreach (var prefix in ViewPrefixes.Where(p => name.StartsWith(p, StringComparison.Ordinal))) names.Add(name[prefix.Length..]);
        }
        return names.Where(n => n.StartsWith("aws_", StringComparison.Ordinal) || n.StartsWith("azure_", StringComparison.Ordinal)).ToArray();
    }

    /// <summary>Creates the views the SQL text mentions (identifiers <c>[prefix]aws_*</c>, <c>[prefix]azure_*</c> and <c>cloudinv_errors</c>).</summary>
    internal void EnsureViewsFor(string sql)
    {
        foreach (Match m in ViewMention().Matches(sql))
        {
            var name = m.Value.ToLowerInvariant();
            if (name == ErrorsView)
            {
                EnsureErrorsView();
                continue;
            }
            if (name == StandardViews.DailyUnitsView)
            {
                EnsureDailyUnits();
                continue;
            }
            if (name == StandardViews.ResourcesView)
            {
                EnsureResourcesView();
                continue;
            }
            var prefix = ViewPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal) && Catalog.Find(name[p.Length..]) is not null) ?? "";
            if (Catalog.Find(name[prefix.Length..]) is { } table) EnsureView(prefix, table);
        }
    }

    // The cross-cloud footprint over the daily_ view of every catalog table with data in the store.
    private void EnsureResourcesView()
    {
        if (_created.Contains(StandardViews.ResourcesView)) return;
        // With --where-tag, the footprint is the tagged resources: a table without tags has none of them.
        var tables = TablesWithData.Select(n => Catalog.Find(n)!).Where(t => t.FindColumn("account_id") is not null && t.FindColumn("region") is not null)
            .Where(t => TagFilters.Count == 0 || HasTags(t)).ToList();
        foreach (var table in tables) EnsureView("daily_", table);
        Execute($"CREATE OR REPLACE VIEW {Sql.Identifier(StandardViews.ResourcesView)} AS {StandardViews.Resources(tables)}");
        _created.Add(StandardViews.ResourcesView);
    }

    /// <summary>Creates one view (and the views it needs) if not there yet, from <see cref="StandardViews"/>.</summary>
    internal void EnsureView(string prefix, Table table)
    {
        var name = prefix + table.Name;
        if (_created.Contains(name)) return;
        var dialect = SqlDialect.DuckDb;
        string body;
        switch (prefix)
        {
            case "":
                body = StandardViews.Snapshots(table, dialect, Files(table, Runs.SelectMany(r => r.Tables.GetValueOrDefault(table.Name) ?? []).ToArray()));
                break;
            case "current_" or "daily_":
                var current = prefix == "current_";
                body = StandardViews.Daily(table, dialect, Files(table, DailyFiles(table, current)), current);
                break;
            case "distinct_" or "daily_distinct_":
                EnsureView("", table);
                body = StandardViews.Distinct(table, dialect, daily: prefix == "daily_distinct_");
                break;
            default:
                throw new ArgumentException($"unknown view prefix {prefix}", nameof(prefix));
        }
        Execute($"CREATE OR REPLACE VIEW {Sql.Identifier(name)} AS {body}");
        _created.Add(name);
        StartupTrace.Mark("view created");
    }

    /// <summary>The rows of a table's <c>daily_</c> view from a day on, reading only the files those days need.</summary>
    internal string DailySince(Table table, DateOnly since) =>
        $"SELECT * FROM ({StandardViews.Daily(table, SqlDialect.DuckDb, Files(table, DailyFiles(table, current: false, since)), current: false)}) WHERE report_date >= {Sql.Date(since)}";

    /// <summary>The store-relative files the <c>daily_</c> (or <c>current_</c>) view of a table reads (for the days from <paramref name="since"/> on).</summary>
    internal IReadOnlyList<string> DailyFiles(Table table, bool current, DateOnly? since = null)
    {
        EnsureDailyUnits();
        var paths = new List<string>();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = StandardViews.DailyFiles(table, current, since);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) paths.Add(reader.GetString(0));
        return paths;
    }

    /// <summary>Creates <c>cloudinv_daily_units</c> (a table: every daily and current view joins on it).</summary>
    internal void EnsureDailyUnits()
    {
        if (_created.Contains(StandardViews.DailyUnitsView)) return;
        Execute($"CREATE TABLE {Sql.Identifier(StandardViews.DailyUnitsView)} AS {StandardViews.DailyUnits()}");
        _created.Add(StandardViews.DailyUnitsView);
        StartupTrace.Mark("daily units made");
    }

    // A table's files relation in DuckDB: the files with their names, or no rows with the catalog's columns.
    private string Files(Table table, IReadOnlyCollection<string> paths) =>
        "(" + (paths.Count == 0 ? EmptySelect(table) : Scan(table, paths, withFilename: true)) + ")";

    /// <summary>The store's manifests as this database read them (see <see cref="InventoryDatabaseOptions.Manifests"/>).</summary>
    internal StoreManifests StoreManifests { get; }

    /// <summary>The latest visible run that saw the table (with rows or empty), or null.</summary>
    public InventoryRun? LatestRunWith(string table) => Runs.LastOrDefault(r => r.Saw(table));

    /// <summary>For each day, the last visible run that saw the table, oldest first.</summary>
    public IEnumerable<InventoryRun> LastRunPerDay(string table) =>
        Runs.Where(r => r.Saw(table)).GroupBy(r => r.ReportDate).Select(g => g.Last());

    /// <summary>
    /// The SQL relation (<c>read_parquet(...)</c>, filtered by the tag scopes when the table has tags) over store-relative files.
    /// </summary>
    /// <param name="table">The table (for the tag scope).</param>
    /// <param name="relativePaths">The files, relative to the store root.</param>
    /// <param name="withFilename">Add the <c>filename</c> column.</param>
    /// <param name="unionByName">
    /// Unify the schemas of all files (reads every footer when bound). Without it, columns are still
    /// matched by name, but a column the query uses must be in every file: cheaper for counts.
    /// </param>
    internal string Scan(Table table, IEnumerable<string> relativePaths, bool withFilename = false, bool unionByName = true) =>
        Scan(table, relativePaths, withFilename, _ => unionByName);

    /// <summary>
    /// Like <see cref="Scan(Table, IEnumerable{string}, bool, bool)"/> with <c>union_by_name</c>, but without it when every file
    /// has the same schema (the same answer then): with it DuckDB opens all the files at once when the query is bound and keeps
    /// them open, which for a week of wide snapshots costs tens of MB (docs/benchmarks.md §9); without it, it opens them one by
    /// one as it reads. Each file's schema is read from its footer once per database.
    /// </summary>
    internal string ScanUnifyingIfNeeded(Table table, IEnumerable<string> relativePaths, bool withFilename = false) =>
        Scan(table, relativePaths, withFilename, SchemasDiffer);

    private string Scan(Table table, IEnumerable<string> relativePaths, bool withFilename, Func<IReadOnlyList<string>, bool> unionByName)
    {
        var listed = relativePaths as IReadOnlyCollection<string> ?? relativePaths.ToArray();
        Cache?.EnsureFiles(listed);
        var paths = Verified(listed);
        if (paths.Count == 0)
        {
            var empty = EmptySelect(table);
            return withFilename ? empty.Replace(" WHERE false", ", NULL::VARCHAR AS filename WHERE false", StringComparison.Ordinal) : empty;
        }
        var fullPaths = paths.Select(FullPath).ToArray();
        var files = Sql.List(fullPaths);
        var options = (withFilename ? ", filename = true" : "") + (unionByName(fullPaths) ? ", union_by_name = true" : "");
        var scan = $"SELECT * FROM read_parquet({files}, hive_partitioning = true, hive_types = {{'report_date': DATE}}{options})";
        return HasTags(table) && TagFilters.Count > 0 ? scan + " WHERE " + string.Join(" AND ", TagFilters.Select(f => f.ToSql())) : scan;
    }

    // True when the files' Parquet schemas (every element of each footer's schema, in order) are not all the same.
    private bool SchemasDiffer(IReadOnlyList<string> fullPaths)
    {
        if (fullPaths.Count < 2) return false;
        var unread = fullPaths.Where(p => !_schemas.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToArray();
        if (unread.Length > 0)
        {
            var elements = unread.ToDictionary(p => p, _ => new StringBuilder(), StringComparer.Ordinal);
            try
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = $"SELECT file_name, * EXCLUDE (file_name) FROM parquet_schema({Sql.List(unread)})";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    if (!elements.TryGetValue(r.GetString(0), out var sb)) return true; // A name DuckDB spelled otherwise: unify, as before.
                    for (var i = 1; i < r.FieldCount; i++) sb.Append(r.IsDBNull(i) ? "\u0000" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)).Append('\u0001');
                    sb.Append('\u0002');
                }
            }
            catch (DuckDBException)
            {
                return true; // A footer that cannot be read: the scan with union_by_name reports it, as before.
            }
            foreach (var (path, sb) in elements) _schemas[path] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
        }
        var first = _schemas[fullPaths[0]];
        return fullPaths.Any(p => _schemas[p] != first);
    }

    /// <summary>
    /// The files of <paramref name="relativePaths"/> that match their manifests (size, SHA-256, no symbolic link); each
    /// one that does not is left out with a warning naming it, once per database. For an S3 store, a file the store does not
    /// have or whose download does not match is left out the same way, and a cached copy that fails is downloaded again first.
    /// </summary>
    internal IReadOnlyList<string> Verified(IEnumerable<string> relativePaths)
    {
        var good = new List<string>();
        foreach (var path in relativePaths)
        {
            if (!_verified.TryGetValue(path, out var problem))
            {
                problem = _listed.TryGetValue(path, out var file) ? Problem(path, file) : null;
                _verified[path] = problem;
                if (problem is not null) Warn($"{file!.Table} file {path} {problem}; it is left out of every view (cloudinv store check lists every damaged file).");
            }
            if (problem is null) good.Add(path);
        }
        return good;
    }

    // What is wrong with a listed file: for an S3 store, what the download found, else what verification finds. A cached
    // copy that fails verification is damage to the cache, not necessarily to the store: it is fetched again once.
    private string? Problem(string path, RunManifestFile file)
    {
        if (Cache?.Problem(path) is { } downloadProblem) return downloadProblem;
        var problem = _verifier.Problem(file);
        if (problem is null || Cache is null) return problem;
        try
        {
            Cache.Refetch(path);
            return Cache.Problem(path) ?? _verifier.Problem(file, rehash: true);
        }
        catch (Exception e) when (e is InventoryStoreException or IOException or UnauthorizedAccessException)
        {
            return problem; // The copy cannot be replaced (a link, a folder it cannot write): left out as it is.
        }
    }

    private void Warn(string message)
    {
        _warnings.Add(message);
        _onWarning?.Invoke(message);
    }

    private static string Describe(SkippedEntry skipped) => skipped.Kind switch
    {
        SkippedEntryKind.SymbolicLink => $"{skipped.Path} is a symbolic link (to {skipped.Detail}); links in a store are never followed.",
        SkippedEntryKind.UnreadableFolder => $"{skipped.Path} cannot be read ({skipped.Detail}); the manifests in it are left out.",
        _ => $"{skipped.Detail}; it is never read.",
    };

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A private temporary folder: left for the system's temp cleaning.
        }
    }

    /// <summary>The absolute path of a store-relative file, as the views name it.</summary>
    internal string FullPath(string relativePath) => Path.GetFullPath(Path.Combine(StoreRoot, relativePath));

    /// <summary>True when the table has a <c>tags</c> map column (the column tag scopes and tag grouping use).</summary>
    public static bool HasTags(Table table) => table.FindColumn("tags")?.Type.Kind == ColumnKind.Map;

    /// <summary>The columns a diff matches rows by: the views' key columns (<see cref="StandardViews.KeyColumns"/>), or account and region for a table without any.</summary>
    public static IReadOnlyList<string> KeyColumns(Table table) => StandardViews.KeyColumns(table) ?? ["account_id", "region"];

    internal void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        try
        {
            cmd.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw Explain(e);
        }
    }

    internal InventoryQueryException Explain(DuckDBException e)
    {
        var message = e.Message;
        var missing = MissingTable().Match(message);
        if (!missing.Success) return new InventoryQueryException(message, e);
        var suggestion = EditDistance.Closest(missing.Groups[1].Value, ViewNames);
        var cleaned = DuckDbSuggestion().Replace(message, "");
        return new InventoryQueryException(cleaned.Replace("\n\n\n", "\n\n", StringComparison.Ordinal).TrimEnd(), suggestion, e);
    }

    private static string EmptySelect(Table table)
    {
        var sb = new StringBuilder("SELECT ");
        foreach (var c in table.Columns)
        {
            sb.Append("NULL::").Append(c.Type.ToDuckDbType()).Append(" AS ").Append(Sql.Identifier(c.Name)).Append(", ");
        }
        return sb.Append("NULL::DATE AS report_date, NULL::VARCHAR AS filename WHERE false").ToString();
    }

    private void EnsureErrorsView()
    {
        if (_created.Contains(ErrorsView)) return;
        // Errors files listed by their manifests are verified like any file; an older manifest that recorded errors but does not
        // list its errors file is probed by the layout (StoreLayout.UnlistedErrorsFilePath, the file gc keeps for it).
        var files = new List<string>();
        foreach (var m in _manifests.Where(m => m.Status is RunStatus.Complete or RunStatus.Partial))
        {
            var path = StoreLayout.ErrorsFilePath(m);
            if (m.Files.Any(f => f.Path == path))
            {
                Cache?.EnsureFiles([path]);
                files.AddRange(Verified([path]));
            }
            else if (StoreLayout.UnlistedErrorsFilePath(m) is { } unlisted && (Cache is null ? IsPlainFile(unlisted) : Cache.EnsureOptionalFile(unlisted)))
            {
                files.Add(unlisted);
            }
        }
        var fullPaths = files.Select(FullPath).ToArray();
        var body = fullPaths.Length > 0
            ? $"SELECT * FROM read_parquet({Sql.List(fullPaths)}, hive_partitioning = true, union_by_name = true, hive_types = {{'report_date': DATE}})"
            : "SELECT " + string.Join(", ", CollectionError.Columns.Select(c => $"NULL::{c.Type.ToDuckDbType()} AS {Sql.Identifier(c.Name)}")) + ", NULL::DATE AS report_date WHERE false";
        Execute($"CREATE OR REPLACE VIEW {ErrorsView} AS {body}");
        _created.Add(ErrorsView);
    }

    private bool IsPlainFile(string relativePath)
    {
        try
        {
            return File.Exists(ContainedPath.Resolve(StoreRoot, relativePath));
        }
        catch (InventoryStoreException)
        {
            return false;
        }
    }

    // The run relations, from the manifests: cloudinv_runs (one row per manifest, with counts), and the flat
    // cloudinv_run_tables / cloudinv_run_files that Athena unnests from its cloudinv_runs (StandardViews).
    private void CreateRunsTable()
    {
        Execute($"""
            CREATE TABLE {RunsView} (run_id VARCHAR, shard VARCHAR, report_date DATE, report_time TIMESTAMP WITH TIME ZONE,
              started_at TIMESTAMP WITH TIME ZONE, finished_at TIMESTAMP WITH TIME ZONE, status VARCHAR, "rows" BIGINT, files INTEGER,
              errors BIGINT, api_calls BIGINT, throttles BIGINT, duration_ms BIGINT, tool_version VARCHAR);
            CREATE TABLE {StandardViews.RunTablesView} (run_id VARCHAR, shard VARCHAR, report_date DATE, report_time TIMESTAMP WITH TIME ZONE,
              run_status VARCHAR, table_name VARCHAR, account_id VARCHAR, region VARCHAR, "rows" BIGINT, status VARCHAR);
            CREATE TABLE {StandardViews.RunFilesView} (run_id VARCHAR, shard VARCHAR, report_date DATE, report_time TIMESTAMP WITH TIME ZONE,
              run_status VARCHAR, table_name VARCHAR, path VARCHAR, file_name VARCHAR, "rows" BIGINT);
            """);
        using (var appender = _connection.CreateAppender(RunsView))
        {
            foreach (var m in _manifests)
            {
                appender.CreateRow()
                    .AppendValue(m.RunId).AppendValue(m.Shard).AppendValue(m.ReportDate).AppendValue(m.ReportTime.UtcDateTime)
                    .AppendValue(m.StartedAt.UtcDateTime).AppendValue(m.FinishedAt.UtcDateTime).AppendValue(m.Status.ToString().ToLowerInvariant())
                    .AppendValue(m.Files.Sum(f => f.Rows)).AppendValue(m.Files.Count).AppendValue((long)m.Errors).AppendValue(m.ApiCalls)
                    .AppendValue(m.Throttles).AppendValue(m.DurationMs).AppendValue(m.ToolVersion)
                    .EndRow();
            }
        }
        using (var appender = _connection.CreateAppender(StandardViews.RunTablesView))
        {
            foreach (var m in _manifests)
            {
                foreach (var t in m.Tables)
                {
                    appender.CreateRow()
                        .AppendValue(m.RunId).AppendValue(m.Shard).AppendValue(m.ReportDate).AppendValue(m.ReportTime.UtcDateTime).AppendValue(m.Status.ToString().ToLowerInvariant())
                        .AppendValue(t.Table).AppendValue(t.AccountId).AppendValue(t.Region).AppendValue(t.Rows).AppendValue(t.Status.ToString().ToLowerInvariant())
                        .EndRow();
                }
            }
        }
        using (var appender = _connection.CreateAppender(StandardViews.RunFilesView))
        {
            foreach (var m in _manifests)
            {
                foreach (var f in m.Files)
                {
                    appender.CreateRow()
                        .AppendValue(m.RunId).AppendValue(m.Shard).AppendValue(m.ReportDate).AppendValue(m.ReportTime.UtcDateTime).AppendValue(m.Status.ToString().ToLowerInvariant())
                        .AppendValue(f.Table).AppendValue(f.Path).AppendValue(f.Path[(f.Path.LastIndexOf('/') + 1)..]).AppendValue(f.Rows)
                        .EndRow();
                }
            }
        }
    }

    private static void Lockdown(DuckDBConnection connection, string root, string temporaryDirectory, InventoryDatabaseOptions options)
    {
        var exportPath = options.ExportPath;
        using var cmd = connection.CreateCommand();
        var sb = new StringBuilder();
        sb.Append("SET temp_directory = ").Append(Sql.Literal(temporaryDirectory)).Append(';');
        // Resource limits are set before the configuration is locked (a query cannot raise them afterwards).
        if (options.MemoryLimitBytes is { } memory)
        {
            sb.Append(CultureInfo.InvariantCulture, $"SET memory_limit = '{Math.Max(1, memory / 1024)}KiB';");
        }
        if (options.Threads is { } threads) sb.Append(CultureInfo.InvariantCulture, $"SET threads = {Math.Max(1, threads)};");
        // Only the store (or cache) and this database's own private temporary folder (fresh, mode 0700, unpredictable name).
        sb.Append("SET allowed_directories = ").Append(Sql.List([root + Path.DirectorySeparatorChar, temporaryDirectory + Path.DirectorySeparatorChar])).Append(';');
        if (exportPath is not null) sb.Append("SET allowed_paths = ").Append(Sql.List([Path.GetFullPath(exportPath)])).Append(';');
        sb.Append("SET enable_external_access = false; SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;");
        // A long-lived host with a budget (serve): no caches of file data and footers that outlive the query, and the
        // allocator gives freed memory back in the background (measured in docs/benchmarks.md §9).
        sb.Append(options.MemoryLimitBytes is null
            ? "SET parquet_metadata_cache = true;"
            : "SET parquet_metadata_cache = false; SET enable_external_file_cache = false; SET allocator_background_threads = true;");
        sb.Append("SET lock_configuration = true;");
        cmd.CommandText = sb.ToString();
        cmd.ExecuteNonQuery();
    }

    [GeneratedRegex(@"\b(?:(?:aws|azure)_[A-Za-z0-9_]+|(?:daily_distinct_|current_|distinct_|daily_)(?:aws|azure)_[A-Za-z0-9_]+|cloudinv_errors|cloudinv_daily_units|cloudinv_resources)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ViewMention();

    [GeneratedRegex(@"Table with name ([^\s!]+) does not exist", RegexOptions.CultureInvariant)]
    private static partial Regex MissingTable();

    [GeneratedRegex(@"\nDid you mean ""[^""]*""\?", RegexOptions.CultureInvariant)]
    private static partial Regex DuckDbSuggestion();
}
