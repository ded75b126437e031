using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;

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

    private readonly ConcurrentDictionary<Table, TableRowLayout> _layouts = new();
    private readonly ConcurrentDictionary<Table, HashSet<string>> _kept = new();
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
                foreach (var (table, buffers) in state.Rows)
                {
                    foreach (var rows in buffers) writer.Append(table, rows);
                }
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
        // Per table, the buffers no collection of it is writing into at the moment (child tables of several parent rows are collected at once).
        public Dictionary<Table, Stack<TableRowBuffer>> Rows { get; } = [];
        public MalformedValueCounts Malformed { get; } = new();

        public TableRowBuffer TakeRows(Table table)
        {
            lock (this)
            {
                if (!Rows.TryGetValue(table, out var free)) Rows[table] = free = new Stack<TableRowBuffer>();
                return free.TryPop(out var rows) ? rows : new TableRowBuffer(table);
            }
        }

        public void ReturnRows(Table table, TableRowBuffer rows)
        {
            lock (this) Rows[table].Push(rows);
        }
    }

    private async Task CollectTableAsync(UnitState state, Table table, IReadOnlyDictionary<string, RecordedValue?>? parentRow, CancellationToken cancellationToken)
    {
        var unit = state.Unit;
        var layout = _layouts.GetOrAdd(table, t => new TableRowLayout(t));
        children.TryGetValue(table.Name, out var kids);
        var kept = _kept.GetOrAdd(table, _ => KeptColumns(table, kids));
        Outcome? outcome;
        var writing = selected.Contains(table.Name);
        lock (state)
        {
            if (!state.Outcomes.TryGetValue(table.Name, out outcome)) state.Outcomes[table.Name] = outcome = new Outcome();
        }
        // Rows go straight from the response into this collection's own buffer; rows that still need enrichment calls
        // are completed at the end of their page, when the calls' results are written into their columns.
        var rows = state.TakeRows(table);
        var enriching = table.Enrichments.Count > 0 ? new List<Dictionary<string, RecordedValue?>>() : null;
        var parents = kids is null ? null : new List<Dictionary<string, RecordedValue?>>();

        void OnRowsComplete(int added, bool aligned)
        {
            lock (state) outcome.Rows += added;
            if (!aligned) return;
            if (!writing) rows.DiscardRows();
            else if (rows.RowCount >= HandOffRows || (rows.RowCount % 16 == 0 && rows.BufferedBytes >= HandOffBytes)) writer.Append(table, rows);
        }

        void OnRow(Dictionary<string, RecordedValue?> values)
        {
            if (enriching is not null) enriching.Add(values);
            else parents?.Add(values);
        }

        var operationLabel = $"{table.AwsService}:{table.Operation}";
        void OnMalformed(MalformedValue malformed) => state.Malformed.Add(table.Name, operationLabel, malformed);
        (string Parameter, string? Value)[] fanOut = table.FanOut is { } f ? f.Values.Select(v => (f.Parameter, (string?)v)).ToArray() : [("", null)];
        try
        {
            foreach (var (parameter, fanValue) in fanOut)
            {
                var input = ToObject(table.FixedInput);
                if (fanValue is not null) input[parameter] = fanValue;
                if (table.Parent is { } link && parentRow is not null)
                {
                    if (!Bind(input, link.Bindings, parentRow)) continue;
                }
                try
                {
                    await foreach (var page in state.Client.PaginateAsync(table.AwsService, table.Operation, input,
                        () => new RowReader(layout, rows, unit.AccountId, unit.RegionLabel, reportTime, enriching is null ? OnRowsComplete : null, OnMalformed,
                            parentRow, kept, OnRow), cancellationToken).ConfigureAwait(false))
                    {
                        Interlocked.Add(ref _apiCalls, page.Attempts);
                        if (enriching is { Count: > 0 })
                        {
                            var results = await EnrichAsync(state, table, enriching, cancellationToken).ConfigureAwait(false);
                            WriteEnrichments(layout, rows, results);
                            rows.CompleteRows(enriching.Count);
                            parents?.AddRange(enriching);
                            var added = enriching.Count;
                            enriching.Clear();
                            OnRowsComplete(added, aligned: true);
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
                    // A response that failed half-way leaves values of unfinished rows (and rows waiting for enrichment): they go.
                    rows.DiscardIncompleteRows();
                    enriching?.Clear();
                    parents?.Clear();
                    var error = Describe(e, table.AwsService, table.Operation);
                    Interlocked.Add(ref _apiCalls, error.Attempts);
                    lock (state)
                    {
                        outcome.ErrorCode ??= error.Code;
                        outcome.Skipped = outcome.Skipped || error.Skip;
                    }
                    errors.Add(new CollectionError(unit.AccountId, unit.RegionLabel, table.Name, operationLabel, error.Code, error.Message, error.Attempts, null));
                }
            }
        }
        finally
        {
            if (!writing) rows.DiscardRows();
            state.ReturnRows(table, rows);
        }
    }

    // The columns whose values a table's rows keep beyond the row: what its enrichment calls and its child tables are given.
    private static HashSet<string> KeptColumns(Table table, IReadOnlyList<Table>? kids) =>
        table.Enrichments.SelectMany(e => e.Bindings.Select(b => b.Column))
            .Concat(kids is null ? [] : ColumnsNeededBy(kids))
            .ToHashSet(StringComparer.Ordinal);

    // The enrichment results of a page's rows, in row order, written into their columns (null where a call gave nothing).
    private static void WriteEnrichments(TableRowLayout layout, TableRowBuffer rows, RecordedValue.Part?[][] results)
    {
        var writer = new ColumnValueWriter();
        foreach (var row in results)
        {
            for (var i = 0; i < layout.EnrichmentColumns.Length; i++)
            {
                var column = layout.EnrichmentColumns[i];
                var builder = rows.Builder(column);
                if (row[i] is { } part)
                {
                    writer.Begin(builder, layout.Table.Columns[column].Conversion);
                    part.Replay(writer);
                }
                else
                {
                    builder.AppendNull();
                }
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

    // Runs a page's enrichment calls, rows in parallel; gives each row's value per enrichment column (layout order).
    private async Task<RecordedValue.Part?[][]> EnrichAsync(UnitState state, Table table, List<Dictionary<string, RecordedValue?>> rows, CancellationToken cancellationToken)
    {
        var (unit, client) = (state.Unit, state.Client);
        var layout = _layouts[table];
        var kept = _kept[table];
        var results = new RecordedValue.Part?[rows.Count][];
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = enrichmentParallelism, CancellationToken = cancellationToken }, async (index, ct) =>
        {
            var row = rows[index];
            var values = results[index] = new RecordedValue.Part?[layout.EnrichmentColumns.Length];
            foreach (var enrichment in table.Enrichments)
            {
                var input = ToObject(enrichment.FixedInput);
                if (!Bind(input, enrichment.Bindings, row)) continue;
                try
                {
                    // A paged enrichment (ListRoleTags, ListFunctionUrlConfigs, …) is followed to its last page; list results are joined.
                    var parts = new List<RecordedValue.Part>();
                    await foreach (var page in client.PaginateAsync(table.AwsService, enrichment.Operation, input, () => new RecordedValue(trackMalformed: true), ct).ConfigureAwait(false))
                    {
                        Interlocked.Add(ref _apiCalls, page.Attempts);
                        var output = (RecordedValue)page.Visitor;
                        state.Malformed.AddAll(table.Name, $"{table.AwsService}:{enrichment.Operation}", output.MalformedValues);
                        if (output.Whole?.Select(enrichment.ResultPath) is not { } part) continue;
                        if (parts.Count == 0 || (parts[0].IsList && part.IsList)) parts.Add(part);
                    }
                    RecordedValue.Part? result = parts.Count switch
                    {
                        0 => null,
                        1 => parts[0],
                        _ => RecordedValue.JoinLists(parts).Whole,
                    };
                    SetEnrichment(table, layout, values, enrichment, result);
                    // A later enrichment may be given what an earlier one found (DescribeTable's TableArn for ListTagsOfResource).
                    for (var i = 0; i < values.Length; i++)
                    {
                        var name = table.Columns[layout.EnrichmentColumns[i]].Name;
                        if (values[i] is { } found && kept.Contains(name)) row[name] = RecordedValue.Copy(found);
                    }
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
        return results;
    }

    // Puts an enrichment's result into its column, or the fields of an object into the columns it is flattened into.
    private static void SetEnrichment(Table table, TableRowLayout layout, RecordedValue.Part?[] values, Enrichment enrichment, RecordedValue.Part? result)
    {
        var source = enrichment.ResultPath is null ? enrichment.Operation : $"{enrichment.Operation}:{enrichment.ResultPath}";
        for (var i = 0; i < layout.EnrichmentColumns.Length; i++)
        {
            var column = table.Columns[layout.EnrichmentColumns[i]];
            if (column.SourcePath is null) continue;
            if (enrichment.Flatten)
            {
                if (!column.SourcePath.StartsWith(source + ".", StringComparison.Ordinal)) continue;
                values[i] = result?.Member(column.SourcePath[(source.Length + 1)..]);
            }
            else if (column.Name == enrichment.Name && column.SourcePath == source)
            {
                values[i] = result;
            }
        }
    }

    private static bool Bind(JsonObject input, IReadOnlyList<InputBinding> bindings, IReadOnlyDictionary<string, RecordedValue?> row)
    {
        foreach (var binding in bindings)
        {
            if (!row.TryGetValue(binding.Column, out var value) || value?.Whole?.ToJsonNode() is not { } node) return false;
            input[binding.Parameter] = binding.AsList ? new JsonArray(node) : node;
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
