using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Collects one work unit: pages through the table's operation, cuts pages into rows, runs the
/// per-row enrichments, hands rows to the run's writer, and collects child tables per row. Failures
/// become <see cref="CollectionError"/>s; an enrichment that fails leaves its column null.
/// </summary>
internal sealed class WorkUnitCollector(
    RunWriter writer,
    IReadOnlySet<string> selected,
    IReadOnlyDictionary<string, IReadOnlyList<Table>> children,
    ConcurrentBag<CollectionError> errors,
    DateTimeOffset reportTime,
    int enrichmentParallelism)
{
    private static readonly HashSet<string> s_skippable = new(StringComparer.Ordinal)
    {
        "OptInRequired", "AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId", "SubscriptionRequiredException",
        "UnsupportedOperation", "UnknownOperationException", "InvalidAction",
    };

    private static readonly HashSet<string> s_accessDenied = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthorizationError", "Forbidden",
        "NotAuthorized", "AuthorizationErrorException", "AWSOrganizationsNotInUseException",
    };

    /// <summary>True for error codes that mean "not for us here" (denied, not enabled, not offered): recorded and skipped.</summary>
    public static bool IsSkip(string code) => s_accessDenied.Contains(code) || s_skippable.Contains(code);

    // A unit hands its gathered rows of a table to the run's file once they reach this size.
    private const int HandOffRows = 500;
    private const long HandOffBytes = 256L * 1024;

    private readonly ConcurrentDictionary<Table, ColumnValues> _values = new();
    private readonly ConcurrentDictionary<Table, TableRowLayout> _layouts = new();
    private readonly ConcurrentDictionary<Table, string[]> _parentColumns = new();
    private long _apiCalls;

    public long ApiCalls => Interlocked.Read(ref _apiCalls);

    /// <summary>Collects the unit; returns a manifest entry per table touched (the root and its selected descendants).</summary>
    public async Task<IReadOnlyList<RunManifestTable>> CollectAsync(WorkUnit unit, AwsClient client, CancellationToken cancellationToken)
    {
        var state = new UnitState(unit, client);
        try
        {
            await CollectTableAsync(state, unit.Table, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The rows gathered so far go to the files even when the unit stopped early (they are recorded with its error).
            if (!cancellationToken.IsCancellationRequested)
            {
                foreach (var (table, rows) in state.Rows) writer.Append(table, rows);
            }
            foreach (var warning in state.Malformed.ToWarnings(unit.AccountId, unit.RegionLabel)) errors.Add(warning);
        }
        return state.Outcomes.Where(o => selected.Contains(o.Key))
            .Select(o => new RunManifestTable(o.Key, unit.AccountId, unit.RegionLabel, o.Value.Rows,
                o.Value.ErrorCode is null ? (o.Value.Rows == 0 ? TableRunStatus.Empty : TableRunStatus.Ok) : o.Value.Skipped ? TableRunStatus.Skipped : TableRunStatus.Error,
                o.Value.ErrorCode))
            .ToList();
    }

    private sealed class Outcome
    {
        public long Rows;
        public string? ErrorCode;
        public bool Skipped;
    }

    // What one unit holds while it runs: its outcomes per table and the rows it has not yet handed to the files.
    private sealed class UnitState(WorkUnit unit, AwsClient client)
    {
        public WorkUnit Unit { get; } = unit;
        public AwsClient Client { get; } = client;
        public Dictionary<string, Outcome> Outcomes { get; } = new(StringComparer.Ordinal);
        public Dictionary<Table, TableRowBuffer> Rows { get; } = [];
        public MalformedValueCounts Malformed { get; } = new();
    }

    private async Task CollectTableAsync(UnitState state, Table table, Dictionary<string, JsonNode?>? parentRow, CancellationToken cancellationToken)
    {
        var unit = state.Unit;
        var values = _values.GetOrAdd(table, t => new ColumnValues(t));
        children.TryGetValue(table.Name, out var kids);
        var parentColumns = kids is null ? [] : _parentColumns.GetOrAdd(table, _ => ColumnsNeededBy(kids));
        Outcome? outcome;
        var writing = selected.Contains(table.Name);
        // Child tables of several parent rows are collected at once: the unit's shared state is used under its lock.
        lock (state)
        {
            if (!state.Outcomes.TryGetValue(table.Name, out outcome)) state.Outcomes[table.Name] = outcome = new Outcome();
            if (writing && !state.Rows.ContainsKey(table)) state.Rows[table] = new TableRowBuffer(table);
        }
        // Rows are written as they are read, item by item; rows that still need enrichment calls wait for the end of their page.
        var enriching = table.Enrichments.Count > 0 ? new List<JsonNode?[]>() : null;
        var parents = kids is null ? null : new List<Dictionary<string, JsonNode?>>();

        void Keep(JsonNode?[] row)
        {
            lock (state)
            {
                outcome.Rows++;
                if (writing)
                {
                    var rows = state.Rows[table];
                    rows.Append(row);
                    if (rows.RowCount >= HandOffRows || (rows.RowCount % 16 == 0 && rows.BufferedBytes >= HandOffBytes)) writer.Append(table, rows);
                }
            }
            parents?.Add(values.ByName(row, parentColumns));
        }

        var operationLabel = $"{table.AwsService}:{table.Operation}";
        // Tables without enrichments, child tables or parent columns: rows go straight from the reader into the unit's buffer.
        if (writing && kids is null && table.Enrichments.Count == 0 && table.Parent is null && parentRow is null)
        {
            await CollectRowsAsync(state, table, outcome, operationLabel, cancellationToken).ConfigureAwait(false);
            return;
        }
        (string Parameter, string? Value)[] fanOut = table.FanOut is { } f ? f.Values.Select(v => (f.Parameter, (string?)v)).ToArray() : [("", null)];
        foreach (var (parameter, fanValue) in fanOut)
        {
            var input = ToObject(table.FixedInput);
            if (fanValue is not null) input[parameter] = fanValue;
            if (table.Parent is { } link && parentRow is not null)
            {
                if (!Bind(input, link.Bindings, parentRow)) continue;
            }
            void OnMalformed(MalformedValue malformed) => state.Malformed.Add(table.Name, operationLabel, malformed);
            void OnRow(ExtractedRow extracted)
            {
                var row = values.FromRow(extracted, parentRow, unit.AccountId, unit.RegionLabel, reportTime);
                if (enriching is not null) enriching.Add(row);
                else Keep(row);
            }
            try
            {
                await foreach (var page in state.Client.PaginateAsync(table.AwsService, table.Operation, input,
                    () => new RowExtractor(table.RowPath, values.CarriedPrefixes, OnRow, OnMalformed), cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Add(ref _apiCalls, page.Attempts);
                    if (enriching is { Count: > 0 })
                    {
                        await EnrichAsync(state, table, values, enriching, cancellationToken).ConfigureAwait(false);
                        foreach (var row in enriching) Keep(row);
                        enriching.Clear();
                    }
                    if (parents is { Count: > 0 })
                    {
                        var batch = parents.ToArray();
                        parents.Clear();
                        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = enrichmentParallelism, CancellationToken = cancellationToken },
                            async (parent, ct) =>
                            {
                                foreach (var child in kids!) await CollectTableAsync(state, child, parent, ct).ConfigureAwait(false);
                            }).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                enriching?.Clear();
                parents?.Clear();
                var error = Describe(e, table.AwsService, table.Operation);
                Interlocked.Add(ref _apiCalls, error.Attempts);
                lock (state)
                {
                    outcome.ErrorCode ??= error.Code;
                    outcome.Skipped = outcome.Skipped || error.Skip;
                }
                errors.Add(new CollectionError(unit.AccountId, unit.RegionLabel, table.Name, $"{table.AwsService}:{table.Operation}", error.Code, error.Message, error.Attempts, null));
            }
        }
    }

    // One table's pages read straight into the unit's buffer of that table (which only this table's unit writes).
    private async Task CollectRowsAsync(UnitState state, Table table, Outcome outcome, string operationLabel, CancellationToken cancellationToken)
    {
        var unit = state.Unit;
        var layout = _layouts.GetOrAdd(table, t => new TableRowLayout(t));
        TableRowBuffer rows;
        lock (state) rows = state.Rows[table];

        void OnRowsComplete(int added, bool aligned)
        {
            lock (state)
            {
                outcome.Rows += added;
                if (aligned && (rows.RowCount >= HandOffRows || (rows.RowCount % 16 == 0 && rows.BufferedBytes >= HandOffBytes))) writer.Append(table, rows);
            }
        }

        void OnMalformed(MalformedValue malformed) => state.Malformed.Add(table.Name, operationLabel, malformed);

        (string Parameter, string? Value)[] fanOut = table.FanOut is { } f ? f.Values.Select(v => (f.Parameter, (string?)v)).ToArray() : [("", null)];
        foreach (var (parameter, fanValue) in fanOut)
        {
            var input = ToObject(table.FixedInput);
            if (fanValue is not null) input[parameter] = fanValue;
            try
            {
                await foreach (var page in state.Client.PaginateAsync(table.AwsService, table.Operation, input,
                    () => new RowReader(layout, rows, unit.AccountId, unit.RegionLabel, reportTime, OnRowsComplete, OnMalformed), cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Add(ref _apiCalls, page.Attempts);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var error = Describe(e, table.AwsService, table.Operation);
                Interlocked.Add(ref _apiCalls, error.Attempts);
                lock (state)
                {
                    // A response that failed half-way leaves the values of its unfinished rows: they go.
                    rows.DiscardIncompleteRows();
                    outcome.ErrorCode ??= error.Code;
                    outcome.Skipped = outcome.Skipped || error.Skip;
                }
                errors.Add(new CollectionError(unit.AccountId, unit.RegionLabel, table.Name, operationLabel, error.Code, error.Message, error.Attempts, null));
            }
        }
    }

    // The parent columns child tables read: their input bindings and their columns copied from the parent.
    private static string[] ColumnsNeededBy(IReadOnlyList<Table> kids) => kids
        .SelectMany(k => (k.Parent?.Bindings.Select(b => b.Column) ?? [])
            .Concat(k.Columns.Where(c => c.Origin == ColumnOrigin.Parent && c.SourcePath is not null)
                .Select(c => c.SourcePath![(c.SourcePath!.IndexOf('.', StringComparison.Ordinal) + 1)..])))
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    private async Task EnrichAsync(UnitState state, Table table, ColumnValues values, List<JsonNode?[]> rows, CancellationToken cancellationToken)
    {
        var (unit, client) = (state.Unit, state.Client);
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = enrichmentParallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            foreach (var enrichment in table.Enrichments)
            {
                var input = ToObject(enrichment.FixedInput);
                if (!Bind(input, enrichment.Bindings, values.ByName(row))) continue;
                try
                {
                    // A paged enrichment (ListRoleTags, ListFunctionUrlConfigs, …) is followed to its last page; list results are joined.
                    JsonNode? result = null;
                    await foreach (var page in client.PaginateAsync(table.AwsService, enrichment.Operation, input, () => new ValueTreeBuilder(), ct).ConfigureAwait(false))
                    {
                        Interlocked.Add(ref _apiCalls, page.Attempts);
                        var tree = (ValueTreeBuilder)page.Visitor;
                        state.Malformed.AddAll(table.Name, $"{table.AwsService}:{enrichment.Operation}", tree.MalformedValues);
                        var part = Select(tree.Root, enrichment.ResultPath);
                        if (result is JsonArray joined && part is JsonArray more)
                        {
                            foreach (var item in more) joined.Add(item?.DeepClone());
                        }
                        else
                        {
                            result ??= part;
                        }
                    }
                    values.SetEnrichment(row, enrichment, result);
                }
                catch (AwsApiException e) when (enrichment.AbsentOn.Contains(e.ErrorCode, StringComparer.Ordinal))
                {
                    Interlocked.Add(ref _apiCalls, e.Attempts);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    var error = Describe(e, table.AwsService, enrichment.Operation);
                    Interlocked.Add(ref _apiCalls, error.Attempts);
                    errors.Add(new CollectionError(unit.AccountId, unit.RegionLabel, table.Name, $"{table.AwsService}:{enrichment.Operation}", error.Code, error.Message, error.Attempts, enrichment.Name));
                }
            }
        }).ConfigureAwait(false);
    }

    // Follows an enrichment's result path; a list segment takes the first item (describe calls made for one id).
    private static JsonNode? Select(JsonNode? root, RowPath? path)
    {
        if (path is null) return root;
        var node = root;
        foreach (var segment in path.Segments)
        {
            node = (node as JsonObject)?[segment.Member];
            if (segment.IsList) node = node is JsonArray { Count: > 0 } list ? list[0] : null;
            if (node is null) return null;
        }
        return node;
    }

    private static bool Bind(JsonObject input, IReadOnlyList<InputBinding> bindings, IReadOnlyDictionary<string, JsonNode?> row)
    {
        foreach (var binding in bindings)
        {
            if (!row.TryGetValue(binding.Column, out var value) || value is null) return false;
            var copy = value.DeepClone();
            input[binding.Parameter] = binding.AsList ? new JsonArray(copy) : copy;
        }
        return true;
    }

    private static JsonObject ToObject(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? JsonNode.Parse(element.GetRawText())!.AsObject() : [];

    private static string HeapLimit()
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{limit / 1048576.0:N0} MiB");
    }

    internal readonly record struct ErrorInfo(string Code, string Message, int Attempts, bool Skip);

    internal static ErrorInfo Describe(Exception e, string service, string operation) => e switch
    {
        AwsApiException api => new(api.ErrorCode.Length > 0 ? api.ErrorCode : $"HTTP{api.StatusCode}", api.ErrorMessage, api.Attempts,
            api.IsAccessDenied || s_skippable.Contains(api.ErrorCode)),
        AwsProtocolException p => new("ProtocolError", p.Message, 1, false),
        AwsRequestException r => new("InvalidRequest", r.Message, 0, false),
        AwsCredentialsException c => new("CredentialsError", c.Message, 0, false),
        AwsModelException m => new("ModelError", m.Message, 0, false),
        OperationCanceledException => new("Timeout", $"{service} {operation}: timed out", 1, false),
        // The GC's heap limit was reached (in a container it is 75% of the memory limit unless set): the unit's table
        // stops there, the others go on, and the run ends partial.
        OutOfMemoryException => new("OutOfMemory",
            $"{service} {operation}: out of memory (GC heap limit {HeapLimit()}); lower --concurrency or give the process more memory " +
            "(collecting 1,000,000 EC2 instances at the default concurrency peaks at ~270 MB)", 1, false),
        _ => new(e.GetType().Name, $"{service} {operation}: {e.Message}", 1, false),
    };
}
