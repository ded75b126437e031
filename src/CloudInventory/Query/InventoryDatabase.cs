using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using CloudInventory.Catalog;
using CloudInventory.Query.Internal;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;
using CloudInventory.Text;
using DuckDB.NET.Data;

namespace CloudInventory.Query;

/// <summary>
/// An in-memory DuckDB over a local store (or an S3 store's local <see cref="S3StoreCache"/>, which downloads the files a
/// view or scan needs when it is created): one view per catalog table over exactly the Parquet
/// files that complete or partial run manifests list (files without a manifest are invisible),
/// the standard <c>current_</c>, <c>daily_</c>, <c>distinct_</c> and <c>daily_distinct_</c> views,
/// and <c>cloudinv_runs</c> / <c>cloudinv_errors</c>. Views are created on first mention, so opening
/// costs the same whatever the number of tables. The database can read only the store and never writes to it.
/// </summary>
public sealed partial class InventoryDatabase : IDisposable
{
    /// <summary>The view-name prefixes of the standard views, longest first.</summary>
    public static IReadOnlyList<string> ViewPrefixes { get; } = ["daily_distinct_", "current_", "distinct_", "daily_"];

    private const string RunsView = "cloudinv_runs";
    private const string ErrorsView = "cloudinv_errors";
    private readonly DuckDBConnection _connection;
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<RunManifest> _manifests;
    private readonly string _temporaryDirectory;
    private readonly ListedFileVerifier _verifier;
    private readonly Dictionary<string, RunManifestFile> _listed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _verified = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private readonly Action<string>? _onWarning;

    private InventoryDatabase(string storeRoot, TableCatalog catalog, InventoryDatabaseOptions options,
        StoreManifests manifests, DuckDBConnection connection, string temporaryDirectory, S3StoreCache? cache)
    {
        Cache = cache;
        StoreRoot = storeRoot;
        Catalog = catalog;
        TagFilters = options.TagFilters;
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
                return OpenRoot(cache.Root, store, catalog, options, cache.Manifests!, cache);
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
            manifests = StoreManifests.ReadAsync(new LocalInventoryStore(root)).GetAwaiter().GetResult();
        }
        catch (InventoryStoreException e)
        {
            throw new InventoryQueryException($"store {root} cannot be read: {e.Message}", e);
        }
        return OpenRoot(root, root, catalog, options, manifests, null);
    }

    private static InventoryDatabase OpenRoot(string root, string name, TableCatalog catalog, InventoryDatabaseOptions options, StoreManifests manifests, S3StoreCache? cache)
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

        var temporary = Directory.CreateTempSubdirectory("cloudinv-duckdb-").FullName;
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();
            Lockdown(connection, root, temporary, options.ExportPath);
            var db = new InventoryDatabase(root, catalog, options, manifests, connection, temporary, cache);
            db.CreateRunsTable();
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
        Catalog.Tables.SelectMany(t => ViewPrefixes.Select(p => p + t.Name).Prepend(t.Name)).Append(RunsView).Append(ErrorsView);

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        Cache?.Dispose();
        _verifier.Hashes.Save();
        TryDeleteDirectory(_temporaryDirectory);
    }

    /// <summary>Creates the views the SQL text mentions (identifiers <c>[prefix]aws_*</c> and <c>cloudinv_errors</c>).</summary>
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
            var prefix = ViewPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal) && Catalog.Find(name[p.Length..]) is not null) ?? "";
            if (Catalog.Find(name[prefix.Length..]) is { } table) EnsureView(prefix, table);
        }
    }

    /// <summary>Creates one view (and the base view it needs) if not there yet.</summary>
    internal void EnsureView(string prefix, Table table)
    {
        var name = prefix + table.Name;
        if (_created.Contains(name)) return;
        string body;
        switch (prefix)
        {
            case "":
                var all = Runs.SelectMany(r => r.Tables.GetValueOrDefault(table.Name) ?? []).ToArray();
                body = all.Length == 0 ? EmptySelect(table) : Scan(table, all);
                break;
            case "current_":
                var latest = LatestRunWith(table.Name);
                body = latest is null || latest.Tables[table.Name].Count == 0 ? Base(table) + " WHERE false" : Scan(table, latest.Tables[table.Name]);
                break;
            case "daily_":
                var daily = LastRunPerDay(table.Name).SelectMany(r => r.Tables[table.Name]).ToArray();
                body = daily.Length == 0 ? Base(table) + " WHERE false" : Scan(table, daily);
                break;
            case "distinct_":
                EnsureView("", table);
                body = LatestPerKey(table, "", "report_date DESC, report_time DESC");
                break;
            case "daily_distinct_":
                EnsureView("", table);
                body = LatestPerKey(table, "report_date, ", "report_time DESC");
                break;
            default:
                throw new ArgumentException($"unknown view prefix {prefix}", nameof(prefix));
        }
        Execute($"CREATE OR REPLACE VIEW {Sql.Identifier(name)} AS {body}");
        _created.Add(name);
    }

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
    internal string Scan(Table table, IEnumerable<string> relativePaths, bool withFilename = false, bool unionByName = true)
    {
        var listed = relativePaths as IReadOnlyCollection<string> ?? relativePaths.ToArray();
        Cache?.EnsureFiles(listed);
        var paths = Verified(listed);
        if (paths.Count == 0)
        {
            var empty = EmptySelect(table);
            return withFilename ? empty.Replace(" WHERE false", ", NULL::VARCHAR AS filename WHERE false", StringComparison.Ordinal) : empty;
        }
        var files = Sql.List(paths.Select(FullPath));
        var options = (withFilename ? ", filename = true" : "") + (unionByName ? ", union_by_name = true" : "");
        var scan = $"SELECT * FROM read_parquet({files}, hive_partitioning = true, hive_types = {{'report_date': DATE}}{options})";
        return HasTags(table) && TagFilters.Count > 0 ? scan + " WHERE " + string.Join(" AND ", TagFilters.Select(f => f.ToSql())) : scan;
    }

    /// <summary>
    /// The files of <paramref name="relativePaths"/> that match their manifests (size, SHA-256, no symbolic link); each
    /// one that does not is left out with a warning naming it, once per database.
    /// </summary>
    internal IReadOnlyList<string> Verified(IEnumerable<string> relativePaths)
    {
        var good = new List<string>();
        foreach (var path in relativePaths)
        {
            if (!_verified.TryGetValue(path, out var problem))
            {
                problem = _listed.TryGetValue(path, out var file) ? _verifier.Problem(file) : null;
                _verified[path] = problem;
                if (problem is not null) Warn($"{file!.Table} file {path} {problem}; it is left out of every view (cloudinv store check lists every damaged file).");
            }
            if (problem is null) good.Add(path);
        }
        return good;
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

    /// <summary>The columns that identify a row: account, region and the primary key.</summary>
    public static IReadOnlyList<string> KeyColumns(Table table) =>
        new[] { "account_id", "region" }.Concat(table.PrimaryKey).Distinct(StringComparer.Ordinal).ToArray();

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

    private string Base(Table table)
    {
        EnsureView("", table);
        return $"SELECT * FROM {Sql.Identifier(table.Name)}";
    }

    /// <summary>The latest row per key (account, region, primary key; for tables without a key, the row's values).</summary>
    private string LatestPerKey(Table table, string partitionPrefix, string order)
    {
        if (table.PrimaryKey.Count > 0)
        {
            var key = string.Join(", ", KeyColumns(table).Select(Sql.Identifier));
            return $"{Base(table)} QUALIFY row_number() OVER (PARTITION BY {partitionPrefix}{key} ORDER BY {order}) = 1";
        }
        return $"SELECT * EXCLUDE (__row_key) FROM (SELECT *, hash(row(*COLUMNS(* EXCLUDE (report_time, report_date)))) AS __row_key FROM {Sql.Identifier(table.Name)}) " +
            $"QUALIFY row_number() OVER (PARTITION BY {partitionPrefix}__row_key ORDER BY {order}) = 1";
    }

    private static string EmptySelect(Table table)
    {
        var sb = new StringBuilder("SELECT ");
        foreach (var c in table.Columns)
        {
            sb.Append("NULL::").Append(c.Type.ToDuckDbType()).Append(" AS ").Append(Sql.Identifier(c.Name)).Append(", ");
        }
        return sb.Append("NULL::DATE AS report_date WHERE false").ToString();
    }

    private void EnsureErrorsView()
    {
        if (_created.Contains(ErrorsView)) return;
        // Errors files listed by their manifests are verified like any file; an older manifest that does not list its errors file
        // is probed by the layout (an S3 store only when the run recorded errors: a run without errors writes none).
        var files = new List<string>();
        foreach (var m in _manifests.Where(m => m.Status is RunStatus.Complete or RunStatus.Partial))
        {
            var path = StoreLayout.ErrorsFilePath(m);
            if (m.Files.Any(f => f.Path == path))
            {
                Cache?.EnsureFiles([path]);
                files.AddRange(Verified([path]));
            }
            else if (Cache is null ? IsPlainFile(path) : m.Errors > 0 && Cache.EnsureOptionalFile(path))
            {
                files.Add(path);
            }
        }
        var fullPaths = files.Select(FullPath).ToArray();
        var body = fullPaths.Length > 0
            ? $"SELECT * FROM read_parquet({Sql.List(fullPaths)}, hive_partitioning = true, union_by_name = true, hive_types = {{'report_date': DATE}})"
            : "SELECT NULL::VARCHAR AS run_id, NULL::TIMESTAMP WITH TIME ZONE AS report_time, NULL::VARCHAR AS account_id, NULL::VARCHAR AS region, " +
              "NULL::VARCHAR AS table_name, NULL::VARCHAR AS operation, NULL::VARCHAR AS error_code, NULL::VARCHAR AS message, NULL::INTEGER AS attempts, " +
              "NULL::VARCHAR AS enrichment, NULL::DATE AS report_date WHERE false";
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

    private void CreateRunsTable()
    {
        Execute($"""
            CREATE TABLE {RunsView} (run_id VARCHAR, shard VARCHAR, report_date DATE, report_time TIMESTAMP WITH TIME ZONE,
              started_at TIMESTAMP WITH TIME ZONE, finished_at TIMESTAMP WITH TIME ZONE, status VARCHAR, "rows" BIGINT, files INTEGER,
              errors BIGINT, api_calls BIGINT, throttles BIGINT, duration_ms BIGINT, tool_version VARCHAR)
            """);
        using var appender = _connection.CreateAppender(RunsView);
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

    private static void Lockdown(DuckDBConnection connection, string root, string temporaryDirectory, string? exportPath)
    {
        using var cmd = connection.CreateCommand();
        var sb = new StringBuilder();
        sb.Append("SET temp_directory = ").Append(Sql.Literal(temporaryDirectory)).Append(';');
        // Only the store (or cache) and this database's own private temporary folder (fresh, mode 0700, unpredictable name).
        sb.Append("SET allowed_directories = ").Append(Sql.List([root + Path.DirectorySeparatorChar, temporaryDirectory + Path.DirectorySeparatorChar])).Append(';');
        if (exportPath is not null) sb.Append("SET allowed_paths = ").Append(Sql.List([Path.GetFullPath(exportPath)])).Append(';');
        sb.Append("SET parquet_metadata_cache = true; SET enable_external_access = false; SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; SET lock_configuration = true;");
        cmd.CommandText = sb.ToString();
        cmd.ExecuteNonQuery();
    }

    [GeneratedRegex(@"\b(?:aws_[A-Za-z0-9_]+|(?:daily_distinct_|current_|distinct_|daily_)aws_[A-Za-z0-9_]+|cloudinv_errors)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ViewMention();

    [GeneratedRegex(@"Table with name ([^\s!]+) does not exist", RegexOptions.CultureInvariant)]
    private static partial Regex MissingTable();

    [GeneratedRegex(@"\nDid you mean ""[^""]*""\?", RegexOptions.CultureInvariant)]
    private static partial Regex DuckDbSuggestion();
}
