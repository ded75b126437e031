namespace CloudInventory.Storage;

/// <summary>What a <see cref="StoreGarbageCollector"/> removes and whether it removes anything.</summary>
public sealed record StoreGarbageCollectorOptions
{
    /// <summary>The default <see cref="GracePeriod"/>: 6 hours.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(6);

    /// <summary>
    /// Only objects last written longer ago than this are removed. A collection publishes its data
    /// files before its manifest, so a running collection's files look unreferenced until it ends:
    /// the grace period must be longer than the longest collection run. Default 6 hours.
    /// </summary>
    public TimeSpan GracePeriod { get; init; } = DefaultGracePeriod;

    /// <summary>Find what would be removed, remove nothing (stale uploads are then not looked at).</summary>
    public bool DryRun { get; init; }
}
