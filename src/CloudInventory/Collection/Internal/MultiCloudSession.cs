using CloudInventory.Catalog;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// The sessions of every cloud a run collects, seen as one: their accounts and units together, each unit fetched by
/// the session of its table's cloud, their counters summed. One run, one store, one manifest.
/// </summary>
internal sealed class MultiCloudSession(IReadOnlyDictionary<Cloud, ICloudSession> sessions) : ICloudSession
{
    public IReadOnlyList<string> Accounts { get; } = sessions.OrderBy(s => s.Key).SelectMany(s => s.Value.Accounts).ToList();

    public long ApiCalls => sessions.Values.Sum(s => s.ApiCalls);

    public long Throttles => sessions.Values.Sum(s => s.Throttles);

    public IReadOnlyDictionary<string, long> ThrottlesByService =>
        sessions.Values.SelectMany(s => s.ThrottlesByService).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);

    public IEnumerable<WorkUnit> Units(IReadOnlyList<Table> roots) =>
        sessions.OrderBy(s => s.Key).SelectMany(s => s.Value.Units(roots.Where(r => r.Cloud == s.Key).ToList()));

    public IReadOnlyList<AccountNotEntered> AccountsNotEntered =>
        sessions.OrderBy(s => s.Key).SelectMany(s => s.Value.AccountsNotEntered).ToList();

    public IEnumerable<WorkUnit> UnitsNotEntered(IReadOnlyList<Table> roots) =>
        sessions.OrderBy(s => s.Key).SelectMany(s => s.Value.UnitsNotEntered(roots.Where(r => r.Cloud == s.Key).ToList()));

    public Task<IReadOnlyList<RunManifestTable>> FetchAsync(WorkUnit unit, CancellationToken cancellationToken) =>
        sessions[unit.Table.Cloud].FetchAsync(unit, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var session in sessions.Values) await session.DisposeAsync().ConfigureAwait(false);
    }
}
