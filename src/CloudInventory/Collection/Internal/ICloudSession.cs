using CloudInventory.Catalog;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Internal;

/// <summary>A provider connected for one run: its scope, its work units, and the fetcher that collects one unit's rows.</summary>
internal interface ICloudSession : IAsyncDisposable
{
    /// <summary>The accounts (or subscriptions) in scope, in the order they were resolved.</summary>
    IReadOnlyList<string> Accounts { get; }

    /// <summary>The units of the scope for these root tables (child tables ride along with their root).</summary>
    IEnumerable<WorkUnit> Units(IReadOnlyList<Table> roots);

    /// <summary>The accounts in scope that could not be entered; their units are not observed, so the run is at best partial.</summary>
    IReadOnlyList<AccountNotEntered> AccountsNotEntered { get; }

    /// <summary>
    /// The units of the accounts not entered that can be named without entering them (global tables; regional tables in
    /// the regions asked for): the manifest records them as failed, so queries keep their last observation.
    /// </summary>
    IEnumerable<WorkUnit> UnitsNotEntered(IReadOnlyList<Table> roots);

    /// <summary>Stage 3, <em>fetch</em>: collects one unit, writing its rows to the run's writer and its failures to the run's errors.</summary>
    Task<IReadOnlyList<RunManifestTable>> FetchAsync(WorkUnit unit, CancellationToken cancellationToken);

    /// <summary>API calls made so far.</summary>
    long ApiCalls { get; }

    /// <summary>Throttled responses seen so far.</summary>
    long Throttles { get; }

    /// <summary>Throttled responses per service so far.</summary>
    IReadOnlyDictionary<string, long> ThrottlesByService { get; }
}
