using System.Globalization;
using CloudInventory.Collection;
using CloudInventory.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudInventory.Server.Scheduling;

/// <summary>
/// <c>cloudinv serve --schedule</c>'s collections: one run at a time, each due time of the schedule (plus jitter). A due
/// time that comes while a run is going is logged and counted, never doubled. After downtime it runs once at start when a
/// due time passed since the last successful run (<see cref="CollectionSchedule.Missed"/>). A stop lets the run in flight
/// finish within <see cref="ScheduledCollectionOptions.StopGrace"/>, then abandons it: its manifest is written last, so an
/// abandoned run is never visible (its staged files are discarded; files published before the manifest are left for
/// <c>store gc</c>).
/// </summary>
public sealed class ScheduledCollection
{
    /// <summary>The schedule's meter (skipped, not started and abandoned runs), beside <see cref="CollectorMetrics.MeterName"/>.</summary>
    public const string MeterName = "CloudInventory.Schedule";

    private readonly ScheduledCollectionOptions _options;
    private readonly ILogger _logger;
    private readonly InventoryCollector _collector = new();
    private long _lastSuccessStartedTicks;
    private long _lastSuccessFinishedTicks;
    private long _runningSinceTicks;

    /// <summary>Creates the schedule; nothing runs before <see cref="RunAsync"/>.</summary>
    public ScheduledCollection(ScheduledCollectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        ReadyMaxAge = options.ReadyMaxAge ?? (2 * options.Schedule.LongestGap(options.Time.GetUtcNow())) + options.Schedule.Jitter;
    }

    /// <summary>How old the last successful run may be for the server to be ready.</summary>
    public TimeSpan ReadyMaxAge { get; }

    /// <summary>When the last successful (complete or partial) run finished, from the store at start, then from each run; null before one.</summary>
    public DateTimeOffset? LastSuccess => Read(ref _lastSuccessFinishedTicks);

    /// <summary>When the run in flight started, or null when none is.</summary>
    public DateTimeOffset? RunningSince => Read(ref _runningSinceTicks);

    /// <summary>Runs that ended (complete, partial or failed; not those that could not start or were abandoned).</summary>
    public int Runs { get; private set; }

    /// <summary>Due times skipped because a run was still going.</summary>
    public int Skipped { get; private set; }

    /// <summary>Whether the last successful run is recent enough (<see cref="ReadyMaxAge"/>), and why (or why not).</summary>
    public ServerReadiness Readiness()
    {
        var now = _options.Time.GetUtcNow();
        var running = RunningSince is { } since ? string.Create(CultureInfo.InvariantCulture, $"; a run is going since {since:yyyy-MM-ddTHH:mm:ssZ}") : "";
        if (LastSuccess is not { } last) return new ServerReadiness(false, "no successful run yet" + running);
        var age = now - last;
        var text = string.Create(CultureInfo.InvariantCulture, $"the last successful run finished {age.TotalSeconds:0} s ago ({last:yyyy-MM-ddTHH:mm:ssZ}); at most {ReadyMaxAge.TotalSeconds:0} s allowed{running}");
        return new ServerReadiness(age <= ReadyMaxAge, text);
    }

    /// <summary>
    /// Runs the schedule until <paramref name="stopping"/> is cancelled; then finishes the run in flight within the grace
    /// period or abandons it, and returns.
    /// </summary>
    /// <exception cref="InventoryStoreException">The store's manifests cannot be read at start.</exception>
    public async Task RunAsync(CancellationToken stopping)
    {
        var time = _options.Time;
        var schedule = _options.Schedule;
        var (lastStarted, lastFinished) = await LastSuccessInStoreAsync(stopping).ConfigureAwait(false);
        Write(ref _lastSuccessStartedTicks, lastStarted);
        Write(ref _lastSuccessFinishedTicks, lastFinished);
        var now = time.GetUtcNow();
        var catchUp = schedule.Missed(lastStarted, now);
        DateTimeOffset? occurrence = catchUp ? now : schedule.NextAfter(now);
        var due = occurrence + (catchUp ? TimeSpan.Zero : schedule.NextJitter());
        ScheduleLog.Started(_logger, schedule.Text, schedule.TimeZone.Id, schedule.Jitter.TotalSeconds, Stamp(due), Stamp(lastStarted));
        if (catchUp) ScheduleLog.CatchUp(_logger, Stamp(lastStarted));
        while (due is { } d && occurrence is { } o && !stopping.IsCancellationRequested)
        {
            if (!await WaitUntilAsync(d, stopping).ConfigureAwait(false)) break;
            var started = time.GetUtcNow();
            var finished = await RunOnceAsync(o, started, stopping).ConfigureAwait(false);
            if (stopping.IsCancellationRequested) break;
            foreach (var missed in schedule.DueBetween(o, finished))
            {
                Skipped++;
                ScheduleMetrics.Skipped();
                ScheduleLog.Skipped(_logger, Stamp(missed), Stamp(started));
            }
            // A due time that passed while the store was reloaded after the run is taken now, not skipped.
            occurrence = schedule.NextAfter(finished);
            due = occurrence + schedule.NextJitter();
        }
        ScheduleLog.Stopped(_logger, Runs, Skipped);
    }

    /// <summary>
    /// Waits until the clock says <paramref name="due"/> has come: a timer may fire a little early by the wall clock, and a
    /// run due at midnight belongs to the new day. False when stopping.
    /// </summary>
    private async Task<bool> WaitUntilAsync(DateTimeOffset due, CancellationToken stopping)
    {
        for (var wait = due - _options.Time.GetUtcNow(); wait > TimeSpan.Zero; wait = due - _options.Time.GetUtcNow())
        {
            try
            {
                await Task.Delay(wait, _options.Time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return !stopping.IsCancellationRequested;
    }

    /// <summary>One run; returns when it ended (before the store is reloaded for the server).</summary>
    private async Task<DateTimeOffset> RunOnceAsync(DateTimeOffset due, DateTimeOffset started, CancellationToken stopping)
    {
        using var abandon = new CancellationTokenSource();
        var grace = _options.StopGrace;
        using var stop = stopping.Register(() =>
        {
            ScheduleLog.StopWaiting(_logger, grace.TotalSeconds);
            abandon.CancelAfter(grace);
        });
        Write(ref _runningSinceTicks, started);
        try
        {
            var result = await _collector.RunAsync(_options.Collect(), null, abandon.Token).ConfigureAwait(false);
            var ended = _options.Time.GetUtcNow();
            Runs++;
            var manifest = result.Manifest;
            if (manifest.Status is RunStatus.Complete or RunStatus.Partial)
            {
                Write(ref _lastSuccessStartedTicks, manifest.StartedAt);
                Write(ref _lastSuccessFinishedTicks, manifest.FinishedAt);
            }
            _options.Published?.Invoke(result);
            return ended;
        }
        catch (CollectionException e)
        {
            ScheduleMetrics.NotStarted();
            ScheduleLog.NotStarted(_logger, Stamp(due), OneLine(e.Message));
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            ScheduleMetrics.Abandoned();
            ScheduleLog.Abandoned(_logger, grace.TotalSeconds);
        }
#pragma warning disable CA1031 // a scheduled server outlives one run's unexpected failure; the next due time tries again
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            ScheduleLog.Crashed(_logger, Stamp(due), e.GetType().Name, OneLine(e.Message));
        }
        finally
        {
            Write(ref _runningSinceTicks, null);
        }
        return _options.Time.GetUtcNow();
    }

    private async Task<(DateTimeOffset? Started, DateTimeOffset? Finished)> LastSuccessInStoreAsync(CancellationToken cancellationToken)
    {
        var collect = _options.Collect();
        var store = InventoryStores.Open(collect.Store, collect.StoreOptions);
        try
        {
            var manifests = await StoreManifests.ReadAsync(store, cancellationToken).ConfigureAwait(false);
            var last = manifests.Accepted.Where(m => m.Status is RunStatus.Complete or RunStatus.Partial).MaxBy(m => m.StartedAt);
            return (last?.StartedAt, last?.FinishedAt);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private static string Stamp(DateTimeOffset? time) => time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) : "never";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static DateTimeOffset? Read(ref long ticks)
    {
        var value = Interlocked.Read(ref ticks);
        return value == 0 ? null : new DateTimeOffset(value, TimeSpan.Zero);
    }

    private static void Write(ref long ticks, DateTimeOffset? time) => Interlocked.Exchange(ref ticks, time?.UtcTicks ?? 0);
}
