using System.Text.Json;
using CloudInventory.Azure;
using CloudInventory.Azure.Models;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Azure;

/// <summary>
/// The Azure provider connected for one run: one <see cref="AzureClient"/> (one credential, so one quota limiter),
/// the resolved subscriptions, and the fetcher. A unit is one batch of subscriptions (see <see cref="AzureCollectOptions.SubscriptionsPerQuery"/>)
/// and one Resource Graph scan (its root table: <c>azure_resources</c> for <c>resources</c>, <c>azure_resource_groups</c>
/// for <c>resourcecontainers</c>, a type of another table such as role assignments for <c>authorizationresources</c>
/// narrowed to that type; see <see cref="QueryOf"/>); the scan's rows are routed by type into the selected tables (items
/// of a parent's nested member, such as a VNet's subnets, into their nested tables) and by subscription into
/// <c>account_id</c> and the manifest's entries, which name every subscription of the batch. A unit whose scan fails is
/// recorded as failed for every table it feeds and every subscription of its batch (an error each), so those
/// subscriptions are "not observed" in those tables, never "removed". <c>azure_subscriptions</c> and
/// <c>azure_management_groups</c> have one unit each for the tenant.
/// </summary>
internal sealed class AzureCloudSession : ICloudSession
{
    // A unit hands its gathered rows of a table to the run's file once they reach this size.
    private const int HandOffRows = 500;
    private const long HandOffBytes = 256L * 1024;

    private readonly CollectOptions _options;
    private readonly RunContext _run;
    private readonly AzureModelBundle _models = AzureModelBundle.Default;
    private AzureClient? _client;
    private IReadOnlyList<IReadOnlyList<string>> _batches = [];
    private Dictionary<string, IReadOnlyList<string>> _batchOf = new(StringComparer.Ordinal);
    private string? _tenantId;
    private IReadOnlyList<AzureSubscription> _scope = [];

    public AzureCloudSession(CollectOptions options, RunContext run)
    {
        _options = options;
        _run = run;
    }

    public IReadOnlyList<string> Accounts { get; private set; } = [];

    public long ApiCalls => _client?.Calls ?? 0;

    public long Throttles => _client?.Throttles ?? 0;

    public IReadOnlyDictionary<string, long> ThrottlesByService => Throttles == 0 ? new Dictionary<string, long>() : new Dictionary<string, long> { ["azure:resourcegraph"] = Throttles };

    // Every subscription in scope is entered through Resource Graph's scans: a subscription that cannot be read fails its
    // scan unit (recorded as not observed), and one that does not exist refuses the run before it starts.
    public IReadOnlyList<AccountNotEntered> AccountsNotEntered => [];

    public IEnumerable<WorkUnit> UnitsNotEntered(IReadOnlyList<Table> roots) => [];

    /// <summary>Whether an error code means "skipped on purpose" (a subscription that is not Enabled), not a failure.</summary>
    public static bool IsSkip(string code) => code is AzureSubscriptionScope.NotEnabledCode or AzureManagementGroupScan.NotReadableCode;

    /// <summary>Checks the credential (by listing subscriptions) and resolves the subscriptions.</summary>
    /// <exception cref="CollectionException">The run cannot start.</exception>
    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        var azure = _options.Azure;
        TokenCredentialHolder credential;
        if (azure.SubscriptionsPerQuery is < 1 or > 1000) throw new CollectionException($"Azure settings: {azure.SubscriptionsPerQuery} subscriptions per Resource Graph query is out of range (1 to 1,000)");
        try
        {
            var endpoint = azure.Endpoint ?? AzureClientOptions.FromEnvironment().Endpoint;
            credential = new(azure.Credential ?? AzureCredentialSource.CreateDefault(azure.Transport), azure.Credential is null ? "DefaultAzureCredential" : "the given credential");
            _client = new AzureClient(credential.Credential, new AzureClientOptions
            {
                Endpoint = endpoint, Transport = azure.Transport, PageSize = azure.PageSize, MaxPagesInFlight = azure.MaxPagesInFlight, MaxRetries = azure.MaxRetries, MaxRetryDelay = azure.MaxRetryDelay,
            });
        }
        catch (ArgumentException e)
        {
            throw new CollectionException($"Azure settings: {e.Message}", e);
        }
        try
        {
            var (collected, skipped) = await AzureSubscriptionScope.ResolveAsync(_client, azure, cancellationToken).ConfigureAwait(false);
            Accounts = collected.Select(s => s.SubscriptionId).ToList();
            _scope = collected.Concat(skipped.Select(s => s.Subscription)).OrderBy(s => s.SubscriptionId, StringComparer.OrdinalIgnoreCase).ToList();
            _batches = Batches(Accounts, azure.SubscriptionsPerQuery);
            _batchOf = _batches.ToDictionary(b => b[0], b => b, StringComparer.Ordinal);
            _tenantId = collected.Concat(skipped.Select(s => s.Subscription)).Select(s => s.TenantId).FirstOrDefault(t => !string.IsNullOrEmpty(t));
            foreach (var (subscription, reason) in skipped)
            {
                _run.Errors.Add(new CollectionError(subscription.SubscriptionId, "global", null, "Subscriptions.List", AzureSubscriptionScope.NotEnabledCode, reason, 1, null));
            }
            if (Accounts.Count == 0 && skipped.Count == 0)
            {
                throw new CollectionException("no Azure subscription is in scope: the credential sees none" +
                    (azure.ManagementGroup is null ? "" : $" below management group '{azure.ManagementGroup}'") + ". Grant it Reader at the management group (or the subscriptions)");
            }
        }
        catch (AzureApiException e) when (e.IsUnavailable)
        {
            throw new CollectionException($"Azure was {(e.Status == 429 ? "throttling" : "unavailable")} at start-up ({e.Message}); nothing was collected. Try again later", e);
        }
        catch (AzureApiException e) when (e.Status == 401)
        {
            throw new CollectionException($"the Azure credentials ({credential.Description}) do not work: {e.Message}", e);
        }
        catch (AzureApiException e) when (e.Status == 403)
        {
            throw new CollectionException($"the Azure credential ({credential.Description}) may not list subscriptions: {e.Message}. Grant it Reader at the management group", e);
        }
        catch (AzureApiException e)
        {
            throw new CollectionException($"Azure refused to list the subscriptions: {e.Message}", e);
        }
    }

    public IEnumerable<WorkUnit> Units(IReadOnlyList<Table> roots)
    {
        foreach (var batch in _batches)
        {
            foreach (var root in roots.Where(r => r.Cloud == Cloud.Azure && !IsTenantWide(r))) yield return new WorkUnit(batch[0], "global", root);
        }
        // The management group tree is the tenant's: one unit, its account the tenant. So is the subscription listing
        // (its rows and manifest entries are per subscription, the disabled ones included).
        if (_tenantId is not null && Accounts.Count > 0)
        {
            foreach (var root in roots.Where(r => r.Azure?.ResourceGraphTable == AzureTableFactory.ManagementGroupsApi)) yield return new WorkUnit(_tenantId, "global", root);
        }
        if (_scope.Count > 0)
        {
            foreach (var root in roots.Where(r => r.Azure?.ResourceGraphTable == AzureTableFactory.SubscriptionsApi)) yield return new WorkUnit(_tenantId ?? _scope[0].SubscriptionId, "global", root);
        }
    }

    /// <summary>
    /// The subscriptions (sorted) cut into batches of at most <paramref name="size"/>: each batch is one
    /// scan per Resource Graph table, so a tenant's page count is its rows divided by the page size, not one partly
    /// filled last page per subscription. A batch's unit is named after its first subscription.
    /// </summary>
    internal static IReadOnlyList<IReadOnlyList<string>> Batches(IReadOnlyList<string> subscriptions, int size) =>
        subscriptions.Chunk(size).Select(b => (IReadOnlyList<string>)b).ToList();

    public async Task<IReadOnlyList<RunManifestTable>> FetchAsync(WorkUnit unit, CancellationToken cancellationToken)
    {
        var root = unit.Table;
        if (root.Azure?.ResourceGraphTable == AzureTableFactory.SubscriptionsApi) return AzureSubscriptionRows.Write(_scope, unit, _run);
        if (IsTenantWide(root)) return await AzureManagementGroupScan.FetchAsync(_client!, _options.Azure.ManagementGroup ?? unit.AccountId, _options.Azure.ManagementGroup is not null, unit, _run, cancellationToken).ConfigureAwait(false);
        var batch = _batchOf[unit.AccountId];
        var position = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < batch.Count; i++) position[batch[i]] = i;
        var family = _run.Children.TryGetValue(root.Name, out var kids) ? kids.Prepend(root).ToList() : [root];
        var written = family.Where(t => _run.Selected.Contains(t.Name)).ToList();
        var catchAll = written.Where(t => t.Azure!.ResourceType is null).ToList();
        var byType = written.Where(t => t.Azure!.ResourceType is not null && t.Azure.NestedIn is null).ToDictionary(t => t.Azure!.ResourceType!, StringComparer.OrdinalIgnoreCase);
        // Child types nested in their parent's properties (subnets in virtual networks), by parent type.
        var nestedIn = written.Where(t => t.Azure!.NestedIn is not null).GroupBy(t => t.Azure!.NestedIn!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var buffers = written.ToDictionary(t => t, t => new TableRowBuffer(t));
        var readers = new Dictionary<Table, AzureRowReader>();
        var counts = written.ToDictionary(t => t, _ => new long[batch.Count]);
        var malformed = new MalformedValueCounts[batch.Count];
        long strays = 0;
        var query = QueryOf(root.Azure!);
        const string operation = "ResourceGraph.Resources";
        try
        {
            await foreach (var page in _client!.QueryPagesAsync(query, batch, cancellationToken).ConfigureAwait(false))
            {
                // The page's rows are read where they lie, before the next page is asked for (which frees this one).
                foreach (var row in page.Rows)
                {
                    // Rows are routed by subscription too: account_id is the row's subscription, in the spelling the scope listed.
                    if (!row.TryGetProperty("subscriptionId", out var s) || s.ValueKind != JsonValueKind.String || !position.TryGetValue(s.GetString()!, out var at))
                    {
                        strays++;
                        continue;
                    }
                    foreach (var table in catchAll) Keep(table, row, at);
                    if (!row.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) continue;
                    var typeName = type.GetString()!;
                    if (byType.TryGetValue(typeName, out var typed)) Keep(typed, row, at);
                    if (nestedIn.Count > 0 && nestedIn.TryGetValue(typeName, out var children)) KeepNested(children, row, at);
                }
            }
        }
        catch (AzureApiException e)
        {
            // The rows read so far go to the files, but every subscription of the batch is failed for every table: none is observed there.
            Flush();
            var message = batch.Count == 1 ? e.Message : $"{e.Message} (one scan of {batch.Count} subscriptions, {batch[0]} to {batch[^1]}: none of them is observed)";
            foreach (var subscription in batch)
            {
                _run.Errors.Add(new CollectionError(subscription, "global", root.Name, e.Operation, e.Code, message, 1, null));
            }
            CollectorLog.TableError(_run.Logger, root.Name, unit.AccountId, "global", e.Operation, e.Code, 1, message);
            return written.SelectMany(t => batch.Select((subscription, i) => new RunManifestTable(t.Name, subscription, "global", counts[t][i], TableRunStatus.Error, e.Code))).ToList();
        }
        Flush();
        for (var i = 0; i < batch.Count; i++)
        {
            if (malformed[i] is { } warnings) foreach (var warning in warnings.ToWarnings(batch[i], "global")) _run.Errors.Add(warning);
        }
        if (strays > 0)
        {
            _run.Errors.Add(new CollectionError(batch[0], "global", root.Name, operation, "UnexpectedSubscription",
                $"{strays} rows of the scan named no subscription of its batch ({batch[0]} to {batch[^1]}) and were left out", 1, null, ErrorSeverity.Warning, "subscriptionId", null, strays));
        }
        return written.SelectMany(t => batch.Select((subscription, i) =>
            new RunManifestTable(t.Name, subscription, "global", counts[t][i], counts[t][i] == 0 ? TableRunStatus.Empty : TableRunStatus.Ok))).ToList();

        void Keep(Table table, JsonElement row, int at)
        {
            if (!readers.TryGetValue(table, out var reader)) readers[table] = reader = new AzureRowReader(table, _models, buffers[table]);
            var buffer = buffers[table];
            reader.Write(row, batch[at], _run.ReportTime, value => (malformed[at] ??= new()).Add(table.Name, operation, value));
            counts[table][at]++;
            if (buffer.RowCount >= HandOffRows || (buffer.RowCount % 16 == 0 && buffer.BufferedBytes >= HandOffBytes)) _run.Writer.Append(table, buffer);
        }

        // One row per item of the parent's properties.<member> array, for each nested table of the parent's type.
        void KeepNested(List<Table> children, JsonElement parent, int at)
        {
            if (!parent.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object) return;
            foreach (var table in children)
            {
                if (!properties.TryGetProperty(table.Azure!.NestedMember!, out var items) || items.ValueKind != JsonValueKind.Array) continue;
                if (!readers.TryGetValue(table, out var reader)) readers[table] = reader = new AzureRowReader(table, _models, buffers[table]);
                var buffer = buffers[table];
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object) continue;
                    reader.WriteNested(item, parent, batch[at], _run.ReportTime, value => (malformed[at] ??= new()).Add(table.Name, operation, value));
                    counts[table][at]++;
                }
                if (buffer.RowCount >= HandOffRows || buffer.BufferedBytes >= HandOffBytes) _run.Writer.Append(table, buffer);
            }
        }

        void Flush()
        {
            if (cancellationToken.IsCancellationRequested) return;
            foreach (var (table, buffer) in buffers) _run.Writer.Append(table, buffer);
        }
    }

    private static bool IsTenantWide(Table table) => table.Azure?.ResourceGraphTable is AzureTableFactory.ManagementGroupsApi or AzureTableFactory.SubscriptionsApi;

    /// <summary>The Resource Graph query of a root table's scan: a whole table, or one type of another table (role assignments).</summary>
    internal static ResourceGraphQuery QueryOf(AzureTableSource source) => source.ResourceGraphTable switch
    {
        AzureTableFactory.ResourcesTable => ResourceGraphQuery.Resources,
        AzureTableFactory.ContainersTable => ResourceGraphQuery.ResourceContainers,
        var table => ResourceGraphQuery.OfType(table, source.ResourceType ?? throw new InvalidOperationException($"a scan of {table} needs a resource type")),
    };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record TokenCredentialHolder(global::Azure.Core.TokenCredential Credential, string Description);
}
