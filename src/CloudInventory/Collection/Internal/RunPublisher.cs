using System.Diagnostics;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Stage 4 of a run, <em>write</em>: publishes the run's data files, then its errors file, then — last — the run
/// manifest with the run's status, so a query sees a whole run or nothing of it.
/// </summary>
internal static class RunPublisher
{
    public static async Task<RunManifest> PublishAsync(IInventoryStore store, RunContext run, IReadOnlyList<WorkUnit> plan,
        IReadOnlyList<RunManifestTable> entries, ICloudSession session, Stopwatch clock, CancellationToken cancellationToken)
    {
        var files = (await run.Writer.PublishAsync(store, cancellationToken).ConfigureAwait(false)).ToList();
        var errors = SortedErrors(run);
        if (await run.Writer.PublishErrorsAsync(store, errors, run.ReportTime, cancellationToken).ConfigureAwait(false) is { } errorFile) files.Add(errorFile);
        var manifest = new RunManifest(run.RunId, run.Shard?.Label, run.ReportDate, run.ReportTime, run.StartedAt, DateTimeOffset.UtcNow,
            StatusOf(plan, entries, errors), InventoryCollector.ToolVersion, files, entries, errors.Count, session.ApiCalls, session.Throttles,
            clock.ElapsedMilliseconds);
        await store.WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    // Skips of either cloud: AWS's (denied, not enabled, not offered) and Azure's (a subscription that is not Enabled).
    private static bool IsSkip(string code) => WorkUnitCollector.IsSkip(code) || Azure.AzureCloudSession.IsSkip(code);

    public static IReadOnlyList<CollectionError> SortedErrors(RunContext run) =>
        run.Errors.OrderBy(e => e.AccountId, StringComparer.Ordinal).ThenBy(e => e.Region, StringComparer.Ordinal)
            .ThenBy(e => e.Table, StringComparer.Ordinal).ThenBy(e => e.Operation, StringComparer.Ordinal).ToList();

    // Skips (access denied, region not enabled, service not offered there) are recorded but do not make a run partial;
    // an account that could not be entered is a failure, whatever the code.
    internal static RunStatus StatusOf(IReadOnlyList<WorkUnit> plan, IReadOnlyList<RunManifestTable> entries, IReadOnlyList<CollectionError> errors)
    {
        var anyData = entries.Any(t => t.Status is TableRunStatus.Ok or TableRunStatus.Empty);
        // Warnings (malformed values read as null) never make a run partial.
        var failures = errors.Count(e => e.Severity == ErrorSeverity.Error && (!IsSkip(e.ErrorCode) || e.Operation == "sts:AssumeRole"));
        return (plan.Count == 0 && errors.Count > 0) || (!anyData && entries.Count > 0) ? RunStatus.Failed
            : failures == 0 ? RunStatus.Complete : RunStatus.Partial;
    }
}
