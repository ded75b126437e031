using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Endpoints;
using CloudInventory.Aws.Models;
using CloudInventory.Catalog;
using CloudInventory.Simulator.World;

namespace CloudInventory.Tests.Collection;

/// <summary>
/// An independent oracle for collection runs against the simulator: the rows a curated table should hold,
/// computed straight from the simulated world (<see cref="SimulatedWorld"/>'s whole, unpaged answer to each
/// call), with no HTTP, no protocol reader, no paging and none of the collector's own code. Only the catalog's
/// metadata (operation, fixed input, fan-out, row path, parent and enrichment bindings, column sources and
/// conversions) is shared.
/// </summary>
/// <remarks>
/// A row is its values in the compared columns (<see cref="ComparedColumns"/>: the primary key, then every
/// column from the API, an enclosing object, the parent row or an enrichment), in a canonical form
/// (<see cref="Canonical"/>). Rows are compared as multisets per account and region, so a missing, duplicated,
/// extra or misfilled row shows, not only a wrong count.
/// </remarks>
internal sealed class WorldOracle(SimulatedWorld world, DateOnly date, IReadOnlyList<Table> tables, string homeRegion)
{
    /// <summary>The text the oracle and the Parquet reader both give a null value.</summary>
    public const string Null = "<null>";

    private readonly ShapeValueGenerator _generator = new();
    private readonly SortedSet<string> _duplicateTagKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Table>> _children = tables.Where(t => t.Parent is not null)
        .GroupBy(t => t.Parent!.Table).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    /// <summary>One expected row: where it was collected and its values in the compared columns, as text.</summary>
    public sealed record Row(string Table, string AccountId, string Region, IReadOnlyList<string> Values);

    /// <summary>A call the world refused (the collector should have recorded an error for it).</summary>
    public sealed record WorldError(string Table, string AccountId, string Region, string Operation, string? Enrichment, string Message);

    /// <summary>What the world holds: the rows of every table, the calls it refused, and the tables whose tag lists give a key twice.</summary>
    public sealed record Expectation(IReadOnlyList<Row> Rows, IReadOnlyList<WorldError> Errors, IReadOnlySet<string> TablesWithDuplicateTagKeys);

    /// <summary>The rows the world holds for every table, and the calls it refused.</summary>
    public Expectation Expected(IReadOnlyList<string> accounts, string managementAccount, IReadOnlyList<string> regions)
    {
        var rows = new List<Row>();
        var errors = new List<WorldError>();
        foreach (var account in accounts)
        {
            foreach (var table in tables.Where(t => t.Parent is null))
            {
                // The organisation is read once, from the management account.
                if (table.AwsService == "organizations" && account != managementAccount) continue;
                if (table.Scope == TableScope.Global) Collect(table, account, homeRegion, "global", null, rows, errors);
                else foreach (var region in regions) Collect(table, account, region, region, null, rows, errors);
            }
        }
        return new Expectation(rows, errors, _duplicateTagKeys);
    }

    /// <summary>
    /// The columns a row is compared by: the primary key (dotted names reach into structs), then every other
    /// column from the API, an enclosing object, the parent row or an enrichment, in column order: scalars, tag
    /// maps, structs, lists and maps (their binary and nested JSON parts left out, see <see cref="Canonical"/>),
    /// and JSON documents (policies) as their parsed trees. Only binary columns and system columns are left out.
    /// </summary>
    public static IReadOnlyList<string> ComparedColumns(Table table)
    {
        var columns = table.PrimaryKey.Where(k => table.FindColumn(k) is not { Origin: ColumnOrigin.System }).ToList();
        foreach (var column in table.Columns)
        {
            if (column.Origin == ColumnOrigin.System) continue;
            if (column.Type.Kind is ColumnKind.Binary) continue;
            if (column.Conversion is not (ColumnConversion.None or ColumnConversion.TagListToMap or ColumnConversion.JsonText or ColumnConversion.UrlEncodedJsonText)) continue;
            if (!columns.Contains(column.Name)) columns.Add(column.Name);
        }
        return columns;
    }

    /// <summary>
    /// A value in a form both sides agree on, driven by the column type: structs as objects of their fields in
    /// type order (missing fields null), lists and maps item by item, timestamps as epoch milliseconds, floats
    /// rounded to six decimals, a JSON column as its document's tree; binary parts and JSON parts nested in other
    /// types (API values cut at the catalog's depth, whose encodings differ legitimately) become null. The
    /// world's structs are read by the fields' source (API) names, the Parquet side's by column field names.
    /// </summary>
    public static JsonNode? Canonical(JsonNode? node, ColumnType type, bool apiNames, bool nested = false)
    {
        if (node is null) return null;
        switch (type.Kind)
        {
            case ColumnKind.Json when !nested:
                return node.DeepClone();
            case ColumnKind.Struct when node is JsonObject o:
                var obj = new JsonObject();
                foreach (var field in type.Fields) obj[field.Name] = Canonical(o[apiNames ? field.SourceName : field.Name], field.Type, apiNames, nested: true);
                return obj;
            case ColumnKind.List when node is JsonArray a:
                return new JsonArray(a.Select(item => Canonical(item, type.Element!, apiNames, nested: true)).ToArray());
            case ColumnKind.Map when node is JsonObject m:
                return new JsonObject(m.Select(kv => KeyValuePair.Create(kv.Key, Canonical(kv.Value, type.Value!, apiNames, nested: true))));
            case ColumnKind.Timestamp when node is JsonValue v:
                return JsonValue.Create(EpochMilliseconds(v));
            case ColumnKind.Double when node is JsonValue v && v.GetValueKind() == JsonValueKind.Number:
                return JsonValue.Create(Math.Round(v.GetValue<double>(), 6));
            case ColumnKind.Binary or ColumnKind.Json:
                return null;
            case ColumnKind.String or ColumnKind.Bool or ColumnKind.Int32 or ColumnKind.Int64 or ColumnKind.Double when node is JsonValue:
                return node.DeepClone();
            default:
                throw new InvalidOperationException($"a {node.GetValueKind()} value for a {type.Kind} column: {node.ToJsonString()}");
        }
    }

    private void Collect(Table table, string account, string clientRegion, string label, Dictionary<string, JsonNode?>? parent,
        List<Row> rows, List<WorldError> errors)
    {
        var compared = ComparedColumns(table);
        var fanOut = table.FanOut is { } f ? f.Values.Select(v => (JsonNode?)JsonValue.Create(v)).ToList() : [null];
        foreach (var fanValue in fanOut)
        {
            var input = Input(table.FixedInput);
            if (fanValue is not null) input[table.FanOut!.Parameter] = fanValue;
            if (table.Parent is { } link && parent is not null && !Bind(input, link.Bindings, parent)) continue;
            JsonObject output;
            try
            {
                output = Call(table.AwsService, table.Operation, input, account, clientRegion);
            }
            catch (Exception e) when (e is SimulatedError or InvalidOperationException or FormatException)
            {
                errors.Add(new WorldError(table.Name, account, label, $"{table.AwsService}:{table.Operation}", null, e.Message));
                continue;
            }
            foreach (var (row, enclosing) in Cut(output, table.RowPath))
            {
                var values = Values(table, row, enclosing, parent);
                foreach (var enrichment in table.Enrichments) Enrich(table, enrichment, values, account, clientRegion, label, errors);
                rows.Add(new Row(table.Name, account, label, compared.Select(c => Text(Reach(table, values, c), TypeOf(table, c))).ToList()));
                if (_children.TryGetValue(table.Name, out var kids))
                {
                    foreach (var child in kids) Collect(child, account, clientRegion, label, values, rows, errors);
                }
            }
        }
    }

    // One enrichment of one row: the call with the inputs bound from the row (earlier enrichments included), its
    // result at the result path (a list step takes the first item), into the enrichment's column or, flattened,
    // into the columns of the result's fields. "Not configured" errors leave the columns null; so do other errors,
    // which the run records.
    private void Enrich(Table table, Enrichment enrichment, Dictionary<string, JsonNode?> values, string account, string clientRegion, string label, List<WorldError> errors)
    {
        var input = Input(enrichment.FixedInput);
        if (!Bind(input, enrichment.Bindings, values)) return;
        JsonObject output;
        try
        {
            output = Call(table.AwsService, enrichment.Operation, input, account, clientRegion);
        }
        catch (SimulatedError e) when (enrichment.AbsentOn.Contains(e.Code))
        {
            return;
        }
        catch (Exception e) when (e is SimulatedError or InvalidOperationException or FormatException)
        {
            errors.Add(new WorldError(table.Name, account, label, $"{table.AwsService}:{enrichment.Operation}", enrichment.Name, e.Message));
            return;
        }
        JsonNode? result = output;
        foreach (var step in enrichment.ResultPath?.Segments ?? [])
        {
            result = (result as JsonObject)?[step.Member];
            if (step.IsList) result = result is JsonArray { Count: > 0 } list ? list[0] : null;
        }
        var source = enrichment.ResultPath is null ? enrichment.Operation : $"{enrichment.Operation}:{enrichment.ResultPath}";
        foreach (var column in table.Columns.Where(c => c.Origin == ColumnOrigin.Enrichment && c.SourcePath is not null))
        {
            if (enrichment.Flatten && column.SourcePath!.StartsWith(source + ".", StringComparison.Ordinal))
            {
                values[column.Name] = (result as JsonObject)?[column.SourcePath[(source.Length + 1)..]]?.DeepClone();
            }
            else if (!enrichment.Flatten && column.Name == enrichment.Name && column.SourcePath == source)
            {
                values[column.Name] = result?.DeepClone();
            }
        }
    }

    private static JsonObject Input(JsonElement fixedInput) =>
        fixedInput.ValueKind == JsonValueKind.Object ? JsonNode.Parse(fixedInput.GetRawText())!.AsObject() : [];

    // Binds inputs from a row's columns; false when one of them is null (no call is made).
    private static bool Bind(JsonObject input, IReadOnlyList<InputBinding> bindings, Dictionary<string, JsonNode?> row)
    {
        foreach (var binding in bindings)
        {
            if (row.GetValueOrDefault(binding.Column) is not { } value) return false;
            input[binding.Parameter] = binding.AsList ? new JsonArray(value.DeepClone()) : value.DeepClone();
        }
        return true;
    }

    // The world's whole answer to a call made from a client in clientRegion; a bucket in another region answers
    // with a redirect, which the client follows to the bucket's region.
    private JsonObject Call(string service, string operationName, JsonObject input, string account, string clientRegion)
    {
        var called = AwsModelBundle.Default.GetService(service).FindOperation(operationName)
            ?? throw new ArgumentException($"no operation {service}:{operationName}");
        var operation = AnsweredAs(called);
        var request = AsReceived(operation, input);
        try
        {
            return world.Handle(new WorldRequest(operation, account, WorldRegion(called.Service, clientRegion), date, request, _generator));
        }
        catch (SimulatedRedirect redirect)
        {
            return world.Handle(new WorldRequest(operation, account, WorldRegion(called.Service, redirect.Region), date, request, _generator));
        }
    }

    // The operation the simulator answers a call with: services that share a signing name and wire API are one
    // endpoint (docdb and neptune are answered as rds, eventbridge as events), so the request names the operation
    // of the first model with the call's JSON target prefix, or of the query model of the same API version that
    // has the action, preferring the one named like the signing name. A REST call is answered by its own service
    // (the REST services that share a signing name have distinct URIs).
    private static Operation AnsweredAs(Operation operation)
    {
        var service = operation.Service;
        var peers = AwsModelBundle.Default.Services.Where(s => s.SigningName == service.SigningName).Select(s => AwsModelBundle.Default.GetService(s.Name)).ToList();
        var answering = service.Protocol switch
        {
            AwsProtocol.Json => peers.FirstOrDefault(m => m.Protocol == AwsProtocol.Json && m.TargetPrefix == service.TargetPrefix),
            AwsProtocol.Query or AwsProtocol.Ec2 => peers
                .Where(m => m.Protocol is AwsProtocol.Query or AwsProtocol.Ec2 && m.ApiVersion == service.ApiVersion && m.Operations.ContainsKey(operation.Name))
                .OrderByDescending(m => m.Name == service.SigningName).FirstOrDefault(),
            _ => service,
        };
        return answering?.FindOperation(operation.Name) ?? operation;
    }

    // The region the world answers for: the region the call is signed for (a global service's one region), as
    // the simulator's responder derives it from the signature; STS answers from us-east-1.
    private static string WorldRegion(ServiceModel service, string clientRegion) =>
        service.Name == "sts" ? "us-east-1" : AwsEndpointResolver.Default.Resolve(service, clientRegion).SigningRegion;

    // The input as the simulator's request parser hands it to the world: members in model order, without the
    // paging members (page tokens and page size), which the responder strips before asking the world.
    private static JsonObject AsReceived(Operation operation, JsonObject input)
    {
        if (operation.Paginator is { } p)
        {
            foreach (var token in p.InputTokens) input.Remove(token);
            if (p.LimitKey is { } limit) input.Remove(limit);
        }
        return operation.Input is { } shape ? (JsonObject)InModelOrder(shape.Shape, input)! : input;
    }

    private static JsonNode? InModelOrder(Shape shape, JsonNode? node)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure when !shape.Document && node is JsonObject o:
                var ordered = new JsonObject();
                foreach (var member in shape.Members)
                {
                    if (o.TryGetPropertyValue(member.Name, out var v) && v is not null) ordered[member.Name] = InModelOrder(member.Shape, v);
                }
                return ordered;
            case ShapeType.List when node is JsonArray a:
                return new JsonArray(a.Select(e => InModelOrder(shape.ListMember!.Shape, e)).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    // Cuts the output into rows along the row path: a list step takes every item, a member step descends when
    // the member is there; each row comes with the nodes passed on the way (index k: after k steps).
    private static IEnumerable<(JsonNode? Row, List<JsonNode?> Enclosing)> Cut(JsonObject output, RowPath path)
    {
        var results = new List<(JsonNode?, List<JsonNode?>)>();
        void Walk(JsonNode? node, int step, List<JsonNode?> passed)
        {
            if (step == path.Segments.Count)
            {
                results.Add((node, passed));
                return;
            }
            if (node is not JsonObject obj || obj[path.Segments[step].Member] is not { } next) return;
            var withThis = new List<JsonNode?>(passed) { node };
            if (!path.Segments[step].IsList) Walk(next, step + 1, withThis);
            else if (next is JsonArray items) foreach (var item in items) Walk(item, step + 1, withThis);
        }
        Walk(output, 0, []);
        return results;
    }

    // The row's values by column name for the columns that come from the API, an enclosing object or the parent.
    private static Dictionary<string, JsonNode?> Values(Table table, JsonNode? row, List<JsonNode?> enclosing, Dictionary<string, JsonNode?>? parent)
    {
        var rowPath = table.RowPath.ToString();
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            switch (column.Origin)
            {
                case ColumnOrigin.Api when column.SourcePath is { } source:
                    values[column.Name] = source == rowPath ? row
                        : (row as JsonObject)?[table.RowPath.Segments.Count == 0 ? source : source[(rowPath.Length + 1)..]];
                    break;
                case ColumnOrigin.Carried when column.SourcePath is { } source:
                    var carried = RowPath.Parse(source);
                    values[column.Name] = (enclosing[carried.Segments.Count - 1] as JsonObject)?[carried.Segments[^1].Member];
                    break;
                case ColumnOrigin.Parent when column.SourcePath is { } source:
                    values[column.Name] = parent?.GetValueOrDefault(source[(source.IndexOf('.', StringComparison.Ordinal) + 1)..]);
                    break;
            }
        }
        return values;
    }

    // A Key/Value tag list as the map the TagListToMap conversion promises (a key given twice keeps its last value).
    private JsonNode? TagMap(Table table, JsonNode? node)
    {
        if (node is not JsonArray list) return node;
        var map = new JsonObject();
        foreach (var tag in list.OfType<JsonObject>())
        {
            if (Field(tag, "Key") is { } key) map[key] = Field(tag, "Value") is { } value ? JsonValue.Create(value) : null;
        }
        if (map.Count < list.Count) _duplicateTagKeys.Add(table.Name);
        return map;
    }

    private static string? Field(JsonObject tag, string name) =>
        tag.FirstOrDefault(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase) || kv.Key.Equals("Tag" + name, StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();

    /// <summary>A JSON document given as (URL-encoded) text as its tree; text that is not JSON stays text.</summary>
    public static JsonNode? Document(JsonNode? node, bool urlEncoded)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return node;
        var text = v.GetValue<string>();
        if (urlEncoded) text = System.Net.WebUtility.UrlDecode(text);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    // A column's value, or a struct field's (cache_policy.id) through the struct's source member names.
    private JsonNode? Reach(Table table, Dictionary<string, JsonNode?> values, string name)
    {
        var parts = name.Split('.');
        var node = values.GetValueOrDefault(parts[0]);
        node = table.FindColumn(parts[0])?.Conversion switch
        {
            ColumnConversion.TagListToMap => TagMap(table, node),
            ColumnConversion.JsonText => Document(node, urlEncoded: false),
            ColumnConversion.UrlEncodedJsonText => Document(node, urlEncoded: true),
            _ => node,
        };
        var type = table.FindColumn(parts[0])?.Type;
        foreach (var part in parts.Skip(1))
        {
            var field = type?.Fields.FirstOrDefault(f => f.Name == part);
            node = (node as JsonObject)?[field?.SourceName ?? part];
            type = field?.Type;
        }
        return node;
    }

    /// <summary>The type of a column, or of a struct field (<c>cache_policy.id</c>).</summary>
    public static ColumnType TypeOf(Table table, string name)
    {
        var parts = name.Split('.');
        var type = table.FindColumn(parts[0])!.Type;
        foreach (var part in parts.Skip(1)) type = type.Fields.Single(f => f.Name == part).Type;
        return type;
    }

    /// <summary>The text a value is compared by: its canonical form's JSON, or the string itself.</summary>
    public static string Text(JsonNode? node, ColumnType type) => Canonical(node, type, apiNames: true) switch
    {
        null => Null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var canonical => canonical.ToJsonString(),
    };

    private static long EpochMilliseconds(JsonValue value)
    {
        if (value.TryGetValue<DateTimeOffset>(out var at)) return at.ToUnixTimeMilliseconds();
        if (value.GetValueKind() == JsonValueKind.Number) return (long)Math.Round(value.GetValue<double>() * 1000);
        return DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
    }
}
