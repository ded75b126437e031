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

    private readonly ConcurrentDictionary<Table, ColumnValues> _values = new();
    private long _apiCalls;

    public long ApiCalls => Interlocked.Read(ref _apiCalls);

    /// <summary>Collects the unit; returns a manifest entry per table touched (the root and its selected descendants).</summary>
    public async Task<IReadOnlyList<RunManifestTable>> CollectAsync(WorkUnit unit, AwsClient client, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        await CollectTableAsync(unit, unit.Table, client, null, outcomes, cancellationToken).ConfigureAwait(false);
        return outcomes.Where(o => selected.Contains(o.Key))
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

    private async Task CollectTableAsync(WorkUnit unit, Table table, AwsClient client, Dictionary<string, JsonNode?>? parentRow,
        Dictionary<string, Outcome> outcomes, CancellationToken cancellationToken)
    {
        if (!outcomes.TryGetValue(table.Name, out var outcome)) outcomes[table.Name] = outcome = new Outcome();
        var values = _values.GetOrAdd(table, t => new ColumnValues(t));
        (string Parameter, string? Value)[] fanOut = table.FanOut is { } f ? f.Values.Select(v => (f.Parameter, (string?)v)).ToArray() : [("", null)];
        foreach (var (parameter, fanValue) in fanOut)
        {
            var input = ToObject(table.FixedInput);
            if (fanValue is not null) input[parameter] = fanValue;
            if (table.Parent is { } link && parentRow is not null)
            {
                if (!Bind(input, link.Bindings, parentRow)) continue;
            }
            var pageRows = new List<ExtractedRow>();
            try
            {
                await foreach (var page in client.PaginateAsync(table.AwsService, table.Operation, input,
                    () => new RowExtractor(table.RowPath, values.CarriedPrefixes, pageRows.Add), cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Add(ref _apiCalls, page.Attempts);
                    var rows = pageRows.Select(r => values.FromRow(r, parentRow, unit.AccountId, unit.RegionLabel, reportTime)).ToList();
                    pageRows.Clear();
                    if (table.Enrichments.Count > 0) await EnrichAsync(unit, table, values, rows, client, cancellationToken).ConfigureAwait(false);
                    if (selected.Contains(table.Name)) writer.Append(table, rows);
                    outcome.Rows += rows.Count;
                    if (children.TryGetValue(table.Name, out var kids))
                    {
                        foreach (var row in rows)
                        {
                            var byName = values.ByName(row);
                            foreach (var child in kids) await CollectTableAsync(unit, child, client, byName, outcomes, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var error = Describe(e, table.AwsService, table.Operation);
                Interlocked.Add(ref _apiCalls, error.Attempts);
                outcome.ErrorCode ??= error.Code;
                outcome.Skipped = outcome.Skipped || error.Skip;
                errors.Add(new CollectionError(unit.AccountId, unit.RegionLabel, table.Name, $"{table.AwsService}:{table.Operation}", error.Code, error.Message, error.Attempts, null));
            }
        }
    }

    private async Task EnrichAsync(WorkUnit unit, Table table, ColumnValues values, List<JsonNode?[]> rows, AwsClient client, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = enrichmentParallelism, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            foreach (var enrichment in table.Enrichments)
            {
                var input = ToObject(enrichment.FixedInput);
                if (!Bind(input, enrichment.Bindings, values.ByName(row))) continue;
                try
                {
                    var tree = new ValueTreeBuilder();
                    var page = await client.CallAsync(table.AwsService, enrichment.Operation, input, tree, ct).ConfigureAwait(false);
                    Interlocked.Add(ref _apiCalls, page.Attempts);
                    values.SetEnrichment(row, enrichment, Select(tree.Root, enrichment.ResultPath));
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

    private readonly record struct ErrorInfo(string Code, string Message, int Attempts, bool Skip);

    private static ErrorInfo Describe(Exception e, string service, string operation) => e switch
    {
        AwsApiException api => new(api.ErrorCode.Length > 0 ? api.ErrorCode : $"HTTP{api.StatusCode}", api.ErrorMessage, api.Attempts,
            api.IsAccessDenied || s_skippable.Contains(api.ErrorCode)),
        AwsProtocolException p => new("ProtocolError", p.Message, 1, false),
        AwsRequestException r => new("InvalidRequest", r.Message, 0, false),
        AwsCredentialsException c => new("CredentialsError", c.Message, 0, false),
        AwsModelException m => new("ModelError", m.Message, 0, false),
        OperationCanceledException => new("Timeout", $"{service} {operation}: timed out", 1, false),
        _ => new(e.GetType().Name, $"{service} {operation}: {e.Message}", 1, false),
    };
}
