using System.Diagnostics;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Stage 4 of a run, <em>write</em>: publishes the run's data files, then its errors file, then — last — the run
/// manifest with the run's status, so a query sees a whole run or nothing of it. The units of accounts that could not be
/// entered are recorded as failed and make the run partial: a failed account never reads as deleted resources.
/// </summary>
internal static class RunPublisher
{
    /// <param name="store">Where the run is published.</param>
    /// <param name="run">The run.</param>
    /// <param name="plan">The units planned (and fetched).</param>
    /// <param name="entries">What the fetched units saw.</param>
    /// <param name="notEntered">This shard's units of the accounts that could not be entered (see <see cref="ICloudSession.UnitsNotEntered"/>).</param>
    /// <param name="session">The provider's session.</param>
    /// <param name="clock">The run's clock.</param>
    /// <param name="cancellationToken">Stops the publication.</param>
    public static async Task<RunManifest> PublishAsync(IInventoryStore store, RunContext run, IReadOnlyList<WorkUnit> plan,
        IReadOnlyList<RunManifestTable> entries, IReadOnlyList<WorkUnit> notEntered, ICloudSession session, Stopwatch clock, CancellationToken cancellationToken)
    {
        var files = (await run.Writer.PublishAsync(store, cancellationToken).ConfigureAwait(false)).ToList();
        var errors = SortedErrors(run);
        if (await run.Writer.PublishErrorsAsync(store, errors, run.ReportTime, cancellationToken).ConfigureAwait(false) is { } errorFile) files.Add(errorFile);
        var accounts = session.AccountsNotEntered;
        var all = entries.Concat(NotObserved(run, notEntered, accounts)).OrderBy(t => t.Table, StringComparer.Ordinal)
            .ThenBy(t => t.AccountId, StringComparer.Ordinal).ThenBy(t => t.Region, StringComparer.Ordinal).ToList();
        var manifest = new RunManifest(run.RunId, run.Shard?.Label, run.ReportDate, run.ReportTime, run.StartedAt, DateTimeOffset.UtcNow,
            StatusOf(plan, all, errors, accounts.Count), InventoryCollector.ToolVersion, files, all, errors.Count, session.ApiCalls, session.Throttles,
            clock.ElapsedMilliseconds);
        await store.WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    // Skips of either cloud: AWS's (denied, not enabled, not offered) and Azure's (a subscription that is not Enabled).
    private static bool IsSkip(string code) => WorkUnitCollector.IsSkip(code) || Azure.AzureCloudSession.IsSkip(code);

    public static IReadOnlyList<CollectionError> SortedErrors(RunContext run) =>
        run.Errors.OrderBy(e => e.AccountId, StringComparer.Ordinal).ThenBy(e => e.Region, StringComparer.Ordinal)
            .ThenBy(e => e.Table, StringComparer.Ordinal).ThenBy(e => e.Operation, StringComparer.Ordinal).ToList();

    /// <summary>
    /// The manifest entries of units of accounts that could not be entered: each selected table of the unit (its root and
    /// the descendants that ride along) failed with the account's error code.
    /// </summary>
    internal static IEnumerable<RunManifestTable> NotObserved(RunContext run, IReadOnlyList<WorkUnit> notEntered, IReadOnlyList<AccountNotEntered> accounts)
    {
        var codes = accounts.ToDictionary(a => a.AccountId, a => a.ErrorCode, StringComparer.Ordinal);
        foreach (var unit in notEntered)
        {
            foreach (var table in TablesOf(run, unit.Table.Name).Where(run.Selected.Contains))
            {
                yield return new RunManifestTable(table, unit.AccountId, unit.RegionLabel, 0, TableRunStatus.Error, codes.GetValueOrDefault(unit.AccountId, "Error"));
            }
        }
    }

    // A root table and the descendants collected with it.
    private static IEnumerable<string> TablesOf(RunContext run, string root)
    {
        yield return root;
        if (!run.Children.TryGetValue(root, out var children)) yield break;
        foreach (var child in children.SelectMany(c => TablesOf(run, c.Name))) yield return child;
    }

    // Skips (access denied, region not enabled, service not offered there) are recorded but do not make a run partial;
    // an account that could not be entered is a failure, whatever the code: nothing of it was observed.
    internal static RunStatus StatusOf(IReadOnlyList<WorkUnit> plan, IReadOnlyList<RunManifestTable> entries, IReadOnlyList<CollectionError> errors, int accountsNotEntered)
    {
        var anyData = entries.Any(t => t.Status is TableRunStatus.Ok or TableRunStatus.Empty);
        // Warnings (malformed values read as null) never make a run partial.
        var failures = errors.Count(e => e.Severity == ErrorSeverity.Error && !IsSkip(e.ErrorCode));
        return (plan.Count == 0 && errors.Count > 0) || (!anyData && entries.Count > 0) ? RunStatus.Failed
            : failures == 0 && accountsNotEntered == 0 ? RunStatus.Complete : RunStatus.Partial;
    }
}
