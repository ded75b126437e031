using CloudInventory.Collection;
using Microsoft.Extensions.Logging;

namespace CloudInventory.Server.Scheduling;

/// <summary>What <see cref="ScheduledCollection"/> runs, when, and how it stops.</summary>
public sealed class ScheduledCollectionOptions
{
    /// <summary>When to run.</summary>
    public required CollectionSchedule Schedule { get; init; }

    /// <summary>The options of each run, made anew for each (a new run id every time); the same settings as <c>collect</c>.</summary>
    public required Func<CollectOptions> Collect { get; init; }

    /// <summary>How long a stop waits for the run in flight to finish before abandoning it (nothing of it is then published).</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Ready while the last successful run (complete or partial) finished at most this long ago; null for twice the schedule's longest gap plus its jitter.</summary>
    public TimeSpan? ReadyMaxAge { get; init; }

    /// <summary>Called after each run that wrote a manifest (so the server's query sessions see it).</summary>
    public Action<CollectionResult>? Published { get; init; }

    /// <summary>The schedule's own events (the collector logs through <see cref="CollectOptions.Logger"/>); null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The clock (tests may pass their own).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
