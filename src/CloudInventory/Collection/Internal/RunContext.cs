using System.Collections.Concurrent;
using CloudInventory.Catalog;

namespace CloudInventory.Collection.Internal;

/// <summary>What every stage of one run shares: its identity and time, the tables it collects, its writer and its errors.</summary>
internal sealed class RunContext(string runId, RunShard? shard, DateTimeOffset startedAt, DateTimeOffset reportTime,
    IReadOnlyList<Table> tables, IReadOnlyList<Table> roots, IReadOnlyDictionary<string, IReadOnlyList<Table>> children, RunWriter writer)
{
    public string RunId { get; } = runId;

    public RunShard? Shard { get; } = shard;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The time written into every row (UTC, millisecond precision).</summary>
    public DateTimeOffset ReportTime { get; } = reportTime;

    public DateOnly ReportDate => DateOnly.FromDateTime(ReportTime.UtcDateTime);

    /// <summary>The selected tables.</summary>
    public IReadOnlyList<Table> Tables { get; } = tables;

    /// <summary>The root tables whose units are planned.</summary>
    public IReadOnlyList<Table> Roots { get; } = roots;

    /// <summary>For each table on the way from a root to a selected table, its children.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Table>> Children { get; } = children;

    public IReadOnlySet<string> Selected { get; } = tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Stage 4's input: the run's files, one per table.</summary>
    public RunWriter Writer { get; } = writer;

    /// <summary>Every failed or skipped call of the run.</summary>
    public ConcurrentBag<CollectionError> Errors { get; } = [];
}
