using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// The Parquet files of one run: one sink per table, opened on its first row in a private staging
/// directory, appended to by every work unit of that table, and published to the store when the run
/// completes. Nothing reaches the store before <see cref="PublishAsync"/>.
/// </summary>
internal sealed class RunWriter : IDisposable
{
    private readonly string _staging;

    /// <summary>The private staging folder (fresh, mode 0700, unpredictable name).</summary>
    internal string StagingDirectory => _staging;
    private readonly string _runId;
    private readonly string? _shard;
    private readonly DateOnly _reportDate;
    private readonly ParquetSinkOptions _sinkOptions;
    // The open row groups of all files together hold at most about this many bytes (Arrow size) in the native writer.
    private readonly long _openBudget = 24L * 1024 * 1024;
    private long _openBytes;
    // Files with an open part at once: as many as the default 32 units at work, so busy tables are not cut into small
    // parts; each open file holds ~0.4 MiB of glibc memory for its column writers (48 made the every-table run
    // ~20 MiB larger, docs/benchmarks.md §2.2c).
    private const int MaxOpenFiles = 32;
    private long _appends;
    // Lazy: GetOrAdd may run its factory twice under contention, and two writers on one path corrupt the file.
    private readonly ConcurrentDictionary<string, Lazy<TableFile>> _files = new(StringComparer.Ordinal);

    public RunWriter(string runId, string? shard, DateOnly reportDate, ParquetSinkOptions? sinkOptions = null)
    {
        _runId = runId;
        _shard = shard;
        _reportDate = reportDate;
        // Row groups of 4 MiB of Arrow data: Parquet's native buffers for an open row group are about twice that
        // (8 MiB groups: 17.6 MiB native peak; 4 MiB: 9.4 MiB, files 1% larger; docs/benchmarks.md §2.2c).
        _sinkOptions = sinkOptions ?? new ParquetSinkOptions { RowGroupRows = 20_000, RowGroupBytes = 4L * 1024 * 1024 };
        RemoveStaleStaging(TimeSpan.FromHours(6));
        // Private: a fresh folder with an unpredictable name and mode 0700 (mkdtemp), never one another user made.
        _staging = Directory.CreateTempSubdirectory(StagingPrefix).FullName;
    }

    private const string StagingPrefix = "cloudinv-run-";

    // Runs that were killed leave their staging directory behind; nothing in it was ever visible.
    private static void RemoveStaleStaging(TimeSpan olderThan)
    {
        try
        {
            foreach (var dir in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories(StagingPrefix + "*"))
            {
                // Only this user's own private folders: never a link, never one another user could write to.
                if (dir.LinkTarget is not null || (!OperatingSystem.IsWindows() && dir.UnixFileMode != (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute))) continue;
                if (DateTime.UtcNow - dir.LastWriteTimeUtc > olderThan) dir.Delete(recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: another run may be cleaning up too.
        }
    }

    /// <summary>
    /// Moves the rows a work unit has gathered for a table into the table's file (thread-safe): they are
    /// encoded into the file's open row group under the file's lock, and <paramref name="rows"/> is empty
    /// again afterwards (its capacity kept for the unit's next rows). When the open row groups of all files
    /// together hold more than the run's budget, the fullest is written out early.
    /// </summary>
    public void Append(Table table, TableRowBuffer rows)
    {
        if (rows.RowCount == 0) return;
        var file = _files.GetOrAdd(table.Name, _ => new Lazy<TableFile>(
            () => new TableFile(table, new ParquetSink(table, Path.Combine(_staging, table.Name + ".parquet"), _sinkOptions)))).Value;
        lock (file)
        {
            // The sink encodes the batch before returning, so it can share the unit's buffers (no copy).
            using var batch = rows.Flush(share: true);
            file.Sink.Append(batch);
            Recount(file);
            Volatile.Write(ref file.LastAppend, Interlocked.Increment(ref _appends));
        }
        // Outside the file's lock: one lock at a time, so two units cannot wait for each other.
        while (Interlocked.Read(ref _openBytes) > _openBudget)
        {
            var fullest = _files.Values.Where(f => f.IsValueCreated).Select(f => f.Value).MaxBy(f => Volatile.Read(ref f.OpenBytes));
            if (fullest is null || Volatile.Read(ref fullest.OpenBytes) == 0) break;
            lock (fullest)
            {
                fullest.Sink.FlushRowGroup();
                Recount(fullest);
            }
        }
        // An open file costs native memory even when idle (~0.3 MiB of column writers for a wide table): past
        // MaxOpenFiles, the least recently appended is written out and closed (its next rows start a new part).
        while (true)
        {
            var open = _files.Values.Where(f => f.IsValueCreated && f.Value.Sink.HasOpenPart).Select(f => f.Value).ToList();
            if (open.Count <= MaxOpenFiles) break;
            var idle = open.MinBy(f => Volatile.Read(ref f.LastAppend))!;
            lock (idle)
            {
                if (!idle.Sink.HasOpenPart) continue;
                idle.Sink.FlushRowGroup();
                Recount(idle);
            }
            if (idle.Sink.HasOpenPart) break; // an empty part (nothing to write out) stays open
        }
    }

    // Brings the run's total of open row-group bytes up to date with one file's (under the file's lock).
    private void Recount(TableFile file)
    {
        var open = file.Sink.OpenRowGroupBytes;
        Interlocked.Add(ref _openBytes, open - file.OpenBytes);
        Volatile.Write(ref file.OpenBytes, open);
    }

    /// <summary>Completes every file and publishes it to the store; returns the manifest entries.</summary>
    public async Task<IReadOnlyList<RunManifestFile>> PublishAsync(IInventoryStore store, CancellationToken cancellationToken = default)
    {
        var published = new List<RunManifestFile>();
        foreach (var (name, lazy) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var file = lazy.Value;
            file.Sink.Complete();
            var rows = file.Sink.RowCount;
            var path = StoreLayout.TableFilePath(file.Table, _reportDate, _runId, _shard);
            var result = await store.PublishFileAsync(path, file.Sink.Path, cancellationToken).ConfigureAwait(false);
            published.Add(new RunManifestFile(name, result.Path, rows, result.Bytes, result.Sha256));
        }
        return published;
    }

    /// <summary>Writes the run's errors as a Parquet file and publishes it; null when there were none.</summary>
    public async Task<RunManifestFile?> PublishErrorsAsync(IInventoryStore store, IReadOnlyList<CollectionError> errors, DateTimeOffset reportTime, CancellationToken cancellationToken = default)
    {
        if (errors.Count == 0) return null;
        var columns = CollectionError.Columns;
        var local = Path.Combine(_staging, "cloudinv_errors.parquet");
        using (var sink = new ParquetSink(columns, local, _sinkOptions))
        {
            foreach (var e in errors)
            {
                sink.Append(new JsonNode?[]
                {
                    _runId, JsonValue.Create(reportTime), e.AccountId, e.Region, e.Table, e.Operation, e.ErrorCode, e.Message, e.Attempts, e.Enrichment,
                    e.SeverityText, e.MemberPath, e.Value, e.Occurrences,
                });
            }
            sink.Complete();
        }
        var result = await store.PublishFileAsync(StoreLayout.ErrorsFilePath(_reportDate, _runId, _shard), local, cancellationToken).ConfigureAwait(false);
        return new RunManifestFile("cloudinv_errors", result.Path, errors.Count, result.Bytes, result.Sha256);
    }

    public void Dispose()
    {
        foreach (var file in _files.Values.Where(f => f.IsValueCreated)) file.Value.Sink.Dispose();
        try
        {
            Directory.Delete(_staging, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class TableFile(Table table, ParquetSink sink)
    {
        public Table Table { get; } = table;

        public ParquetSink Sink { get; } = sink;

        // The Arrow bytes in the sink's open row group, as last counted into the run's total.
        public long OpenBytes;

        // When rows were last appended (the run's append count then): the least recent is closed first.
        public long LastAppend;
    }
}
