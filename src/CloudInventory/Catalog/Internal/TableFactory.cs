using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CloudInventory.Aws.Models;
using CloudInventory.Text;
using YamlDotNet.RepresentationModel;

namespace CloudInventory.Catalog.Internal;

/// <summary>
/// Builds <see cref="Table"/>s from specs (checking every name against the AWS models) and from
/// discovered operations, deriving their columns from the output shapes.
/// </summary>
internal sealed partial class TableFactory(AwsModelBundle bundle)
{
    private static readonly JsonElement s_emptyInput = JsonDocument.Parse("{}").RootElement.Clone();
    private static readonly string[] s_systemNames = ["account_id", "region", "report_time", "report_date"];

    /// <summary>The system columns every table has, in order.</summary>
    public static IReadOnlyList<Column> SystemColumns { get; } =
    [
        new("account_id", ColumnType.String, ColumnOrigin.System, null, "The AWS account the row was collected from."),
        new("region", ColumnType.String, ColumnOrigin.System, null, "The region the row was collected in (for global tables, the region the call was sent to)."),
        new("report_time", ColumnType.Timestamp, ColumnOrigin.System, null, "When the collection run started (UTC)."),
    ];

    /// <summary>Builds the tables of one spec file, in file order.</summary>
    public IReadOnlyList<Table> Build(ServiceSpec spec) => Build(spec, only: null);

    /// <summary>
    /// Builds the tables of a spec file; with <paramref name="only"/>, just that table and the parents it hangs from (a
    /// short command needs one table: building the file's other tables would cost it tens of milliseconds).
    /// </summary>
    public IReadOnlyList<Table> Build(ServiceSpec spec, string? only)
    {
        if (!ServiceName().IsMatch(spec.Service))
        {
            throw new CatalogException(spec.File, null, $"service '{spec.Service}' must be lowercase letters and digits (it is part of the table names)");
        }
        var info = bundle.Find(spec.Model ?? spec.Service);
        if (info is null)
        {
            var suggestion = EditDistance.Closest(spec.Model ?? spec.Service, bundle.Services.Select(s => s.Name));
            throw new CatalogException(spec.File, null,
                $"unknown AWS service '{spec.Model ?? spec.Service}'{DidYouMean(suggestion)}; set 'model:' to the bundled service name");
        }
        // Not kept in the bundle: the tables do not refer to the model, and a run needs only the models it calls.
        var model = bundle.GetServiceWithoutCaching(info.Name);
        var built = new Dictionary<string, Table>(StringComparer.Ordinal);
        var tables = new List<Table>();
        var needed = only is null ? null : Lineage(spec, only);
        foreach (var t in spec.Tables)
        {
            if (needed is not null && !needed.Contains(t)) continue;
            var table = BuildTable(spec, t, model, built);
            if (!built.TryAdd(t.Resource, table))
            {
                throw new CatalogException(spec.File, table.Name, $"line {t.Line}: the table is defined twice");
            }
            tables.Add(table);
        }
        return tables;
    }

    // The table named (by table name) and, through their parents, the tables it hangs from; empty when it is not in the file.
    private static HashSet<TableSpec> Lineage(ServiceSpec spec, string name)
    {
        var lineage = new HashSet<TableSpec>(ReferenceEqualityComparer.Instance);
        var next = spec.Tables.FirstOrDefault(t => Table.NameOf(spec.Service, t.Resource) == name);
        while (next is not null && lineage.Add(next))
        {
            var parent = next.Parent;
            next = parent is null ? null : spec.Tables.FirstOrDefault(t => t.Resource == parent || Table.NameOf(spec.Service, t.Resource) == parent);
        }
        return lineage;
    }

    /// <summary>Builds a discovered table; null when the rows have nothing to keep.</summary>
    public static Table? BuildDiscovered(string service, ServiceModel model, Operation operation, RowPath rowPath, string resource, TableScope scope)
    {
        var name = Table.NameOf(service, resource);
        CatalogException Error(string problem) => new($"discovered table {name} ({model.Name}:{operation.Name}): {problem}");
        var (rowShape, _) = Walk(operation.Output?.Shape, rowPath, false, "row path", Error);
        var columns = new List<Column>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        AddApiColumns(columns, names, rowShape, rowPath, null, [], [], Error);
        if (columns.Count == 0) return null;
        columns.AddRange(SystemColumns);
        return new Table(service, model.Name, resource, operation.Name, s_emptyInput, rowPath, GuessPrimaryKey(columns, resource),
            scope, columns, [], null, TableOrigin.Discovered, null);
    }

    private Table BuildTable(ServiceSpec spec, TableSpec t, ServiceModel model, Dictionary<string, Table> earlier)
    {
        var tableName = Table.NameOf(spec.Service, t.Resource);
        CatalogException Error(string problem) => new(spec.File, tableName, problem);
        if (!ColumnName().IsMatch(t.Resource))
        {
            throw Error($"line {t.Line}: resource '{t.Resource}' must be snake_case (lowercase letters, digits, underscores)");
        }
        var operation = ResolveOperation(model, t.Operation, "operation", Error);

        Table? parent = null;
        if (t.Parent is not null)
        {
            parent = earlier.GetValueOrDefault(t.Parent) ?? earlier.Values.FirstOrDefault(p => p.Name == t.Parent)
                ?? throw Error($"parent '{t.Parent}' is not a table defined above it in this file{DidYouMean(EditDistance.Closest(t.Parent, earlier.Keys))}");
        }
        var (fixedInput, bindings, fanOut) = ReadParams(operation, t.Params, parent?.Columns, "params",
            parent is null ? "the table has no parent; only child tables (parent:) and enrichments take inputs from rows" : null, true, Error);
        CheckRequiredInputs(operation, fixedInput, bindings, fanOut, "operation", Error);

        RowPath rowPath;
        if (t.Rows is not null)
        {
            try
            {
                rowPath = RowPath.Parse(t.Rows);
            }
            catch (FormatException e)
            {
                throw Error($"rows: {e.Message}");
            }
        }
        else
        {
            rowPath = DefaultRowPath(operation)
                ?? throw Error($"say where the rows are in the output of {operation.Name} with 'rows:' (e.g. Items[])");
        }
        var (rowShape, _) = Walk(operation.Output?.Shape, rowPath, false, $"row path '{rowPath}'", Error);

        var columns = new List<Column>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (parent is not null)
        {
            foreach (var b in bindings)
            {
                var source = parent.FindColumn(b.Column)!;
                // A generic parent column says whose it is: a cluster's "name" is "cluster_name" in its nodegroups.
                var name = b.Column is "name" or "id" or "arn" ? $"{ColumnNames.Singular(parent.Resource)}_{b.Column}" : b.Column;
                if (names.Contains(name) || rowShape.Members.Any(m => ColumnNames.ToSnakeCase(m.Name) == name)) name = "parent_" + name;
                if (!names.Add(name)) continue;
                columns.Add(source with { Name = name, Origin = ColumnOrigin.Parent, SourcePath = $"{parent.Name}.{b.Column}" });
            }
        }
        foreach (var (name, path) in t.Carry)
        {
            if (!ColumnName().IsMatch(name)) throw Error($"carry: column name '{name}' must be snake_case");
            var carried = ParsePath(path, "carry", Error);
            var prefix = carried.Prefix(carried.Segments.Count - 1);
            var isPrefix = prefix.Segments.Count < rowPath.Segments.Count
                && prefix.Segments.Select(s => s.ToString()).SequenceEqual(rowPath.Segments.Take(prefix.Segments.Count).Select(s => s.ToString()));
            if (!isPrefix || carried.Segments[^1].IsList)
            {
                throw Error($"carry: '{path}' must be a field of an enclosing object on the row path '{rowPath}' (e.g. '{rowPath.Segments[0]}.SomeField')");
            }
            var (shape, member) = Walk(operation.Output?.Shape, carried, true, $"carry '{path}'", Error);
            var type = SchemaDeriver.Derive(shape) ?? throw Error($"carry: '{path}' has nothing to keep");
            if (!names.Add(name)) throw Error($"carry: column '{name}' is defined twice");
            columns.Add(new Column(name, type, ColumnOrigin.Carried, path, SchemaDeriver.Describe(member!.Shape),
                type.Kind == ColumnKind.Json && shape.Type != ShapeType.String ? ColumnConversion.ValueAsJson : ColumnConversion.None));
        }
        AddApiColumns(columns, names, rowShape, rowPath, t.Column, t.Exclude, t.Conversions, Error);
        columns.AddRange(SystemColumns);
        names.UnionWith(SystemColumns.Select(c => c.Name));

        if (t.PrimaryKey is null)
        {
            throw Error("'primary_key' is required (the columns that identify a row; [] when there is one row per account or region)");
        }
        foreach (var key in t.PrimaryKey)
        {
            CheckKey(key, columns, Error);
        }

        var enrichments = new List<Enrichment>();
        foreach (var e in t.Enrichments)
        {
            // An enrichment may take inputs from the row and from the enrichments before it (which run first).
            enrichments.Add(BuildEnrichment(model, e, columns.ToArray(), columns, names, Error));
        }
        var scope = t.Scope ?? parent?.Scope ?? spec.Scope;
        return new Table(spec.Service, model.Name, t.Resource, operation.Name, fixedInput, rowPath, t.PrimaryKey, scope, columns,
            enrichments, parent is null ? null : new ParentLink(parent.Name, bindings), TableOrigin.Curated, spec.File, fanOut);
    }

    // A key is a column, or a field inside a struct column ("cache_policy.id"), of a primitive type.
    private static void CheckKey(string key, List<Column> columns, Func<string, CatalogException> error)
    {
        var parts = key.Split('.');
        var column = columns.FirstOrDefault(c => c.Name == parts[0])
            ?? throw error($"primary key '{key}' is not a column of the row{DidYouMean(EditDistance.Closest(parts[0], columns.Select(c => c.Name)))}; columns: {string.Join(", ", columns.Select(c => c.Name))}");
        var type = column.Type;
        foreach (var part in parts.Skip(1))
        {
            type = type.Fields.FirstOrDefault(f => f.Name == part)?.Type
                ?? throw error($"primary key '{key}': '{part}' is not a field of {type.ToHiveType()}");
        }
        if (type.IsNested || type.Kind is ColumnKind.Json or ColumnKind.Binary)
        {
            var hint = type.Kind == ColumnKind.Struct ? $" (pick a field, e.g. '{key}.{type.Fields[0].Name}')" : "";
            throw error($"primary key '{key}' is a {type.ToHiveType()}, not a single value{hint}");
        }
    }

    private static Enrichment BuildEnrichment(ServiceModel model, EnrichmentSpec e, IReadOnlyList<Column> rowColumns, List<Column> columns,
        HashSet<string> names, Func<string, CatalogException> tableError)
    {
        CatalogException Error(string problem) => tableError($"enrichment '{e.Name}' (line {e.Line}): {problem}");
        if (!ColumnName().IsMatch(e.Name)) throw Error("the name must be snake_case (it names the column)");
        var operation = ResolveOperation(model, e.Operation, "operation", Error);
        var (fixedInput, bindings, _) = ReadParams(operation, e.Params, rowColumns, "params", null, false, Error);
        if (bindings.Count == 0) throw Error("an enrichment takes at least one input from the row (e.g. Bucket: $name)");
        CheckRequiredInputs(operation, fixedInput, bindings, null, "operation", Error);
        RowPath? resultPath = e.Result is null ? null : ParsePath(e.Result, "result", Error);
        Shape shape;
        if (resultPath is null)
        {
            shape = operation.Output?.Shape ?? throw Error($"{operation.Name} has no output");
        }
        else
        {
            (shape, _) = Walk(operation.Output?.Shape, resultPath, true, $"result '{resultPath}'", Error);
        }
        var (type, conversion) = e.Conversion switch
        {
            null => (SchemaDeriver.Derive(shape), shape.Document || SchemaDeriver.Derive(shape)?.Kind == ColumnKind.Json ? ColumnConversion.ValueAsJson : ColumnConversion.None),
            _ => Convert(shape, e.Conversion, Error),
        };
        if (type is null) throw Error("the result has nothing to keep");
        var enrichment = new Enrichment(e.Name, operation.Name, fixedInput, bindings, resultPath, e.Flatten, e.AbsentOn, type, conversion);
        var source = resultPath is null ? operation.Name : $"{operation.Name}:{resultPath}";
        if (e.Flatten)
        {
            if (type.Kind != ColumnKind.Struct) throw Error("'flatten: true' needs a structure result");
            foreach (var field in type.Fields)
            {
                // The listing already has this column (e.g. the ARN the describe call was made with).
                if (!names.Add(field.Name)) continue;
                columns.Add(new Column(field.Name, field.Type, ColumnOrigin.Enrichment, $"{source}.{field.SourceName}", null,
                    field.Type.Kind == ColumnKind.Json ? ColumnConversion.ValueAsJson : ColumnConversion.None));
            }
        }
        else
        {
            if (!names.Add(e.Name)) throw Error($"column '{e.Name}' already exists; pick another name");
            columns.Add(new Column(e.Name, type, ColumnOrigin.Enrichment, source, $"From {operation.Name} per row.", conversion));
        }
        return enrichment;
    }

    private static void AddApiColumns(List<Column> columns, HashSet<string> names, Shape rowShape, RowPath rowPath, string? scalarColumn,
        IReadOnlyList<string> exclude, IReadOnlyList<KeyValuePair<string, string>> conversions, Func<string, CatalogException> error)
    {
        if (rowShape.Type != ShapeType.Structure)
        {
            if (exclude.Count > 0 || conversions.Count > 0) throw error("rows are single values; 'exclude' and 'conversions' apply to structures");
            var name = scalarColumn ?? ColumnNames.Singular(ColumnNames.ToSnakeCase(rowPath.Segments[^1].Member));
            if (!ColumnName().IsMatch(name)) throw error($"column '{name}' must be snake_case");
            if (s_systemNames.Contains(name)) name = "resource_" + name;
            var type = SchemaDeriver.Derive(rowShape) ?? throw error("the rows have nothing to keep");
            if (names.Add(name)) columns.Add(new Column(name, type, ColumnOrigin.Api, rowPath.ToString(), SchemaDeriver.Describe(rowShape)));
            return;
        }
        if (scalarColumn is not null) throw error("'column' names the column of single-value rows; these rows are structures");
        foreach (var x in exclude)
        {
            if (rowShape.FindMember(x) is null) throw error($"exclude: '{x}' is not a field of the row{DidYouMean(EditDistance.Closest(x, rowShape.Members.Select(m => m.Name)))}");
        }
        var converted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (member, kind) in conversions)
        {
            if (rowShape.FindMember(member) is null) throw error($"conversions: '{member}' is not a field of the row{DidYouMean(EditDistance.Closest(member, rowShape.Members.Select(m => m.Name)))}");
            converted[member] = kind;
        }
        foreach (var member in rowShape.Members)
        {
            if (exclude.Contains(member.Name, StringComparer.Ordinal) || member.Location is MemberLocation.StatusCode) continue;
            if (SchemaDeriver.IsSecret(member)) continue;
            var name = ColumnNames.ToSnakeCase(member.Name);
            ColumnType? type;
            ColumnConversion conversion;
            if (converted.TryGetValue(member.Name, out var kind))
            {
                (type, conversion) = Convert(member.Shape, kind, m => error($"conversions: '{member.Name}': {m}"));
                if (conversion == ColumnConversion.TagListToMap) name = "tags";
            }
            else if (SchemaDeriver.IsTagList(member.Shape) && TagMemberName().IsMatch(member.Name))
            {
                (type, conversion, name) = (ColumnType.StringMap, ColumnConversion.TagListToMap, "tags");
            }
            else
            {
                type = SchemaDeriver.Derive(member);
                conversion = type?.Kind == ColumnKind.Json && member.Shape.Type != ShapeType.String ? ColumnConversion.ValueAsJson : ColumnConversion.None;
            }
            if (type is null) continue;
            if (s_systemNames.Contains(name)) name = "resource_" + name;
            var unique = name;
            for (var n = 2; names.Contains(unique); n++) unique = $"{name}_{n}";
            names.Add(unique);
            columns.Add(new Column(unique, type, ColumnOrigin.Api, rowPath.Member(member.Name), SchemaDeriver.Describe(member.Shape), conversion));
        }
    }

    private static (ColumnType? Type, ColumnConversion Conversion) Convert(Shape shape, string kind, Func<string, CatalogException> error) => kind switch
    {
        "tags" when SchemaDeriver.IsTagList(shape) => (ColumnType.StringMap, ColumnConversion.TagListToMap),
        "tags" when shape.Type == ShapeType.Map => (SchemaDeriver.Derive(shape), ColumnConversion.None),
        "tags" => throw error("'tags' converts a list of Key/Value structures, and this is not one"),
        "json" when shape.Type == ShapeType.String => (ColumnType.Json, ColumnConversion.JsonText),
        "json" => (ColumnType.Json, ColumnConversion.ValueAsJson),
        "url_encoded_json" when shape.Type == ShapeType.String => (ColumnType.Json, ColumnConversion.UrlEncodedJsonText),
        "url_encoded_json" => throw error("'url_encoded_json' converts a string, and this is not one"),
        _ => throw error($"unknown conversion '{kind}' (use tags, json or url_encoded_json)"),
    };

    private static Operation ResolveOperation(ServiceModel model, string name, string what, Func<string, CatalogException> error)
    {
        if (!model.Operations.TryGetValue(name, out var operation))
        {
            var suggestion = EditDistance.Closest(name, model.Operations.Keys);
            throw error($"{what}: unknown operation '{name}' in {model.Name}{DidYouMean(suggestion)}");
        }
        if (!ReadVerbs.IsRead(operation.Name))
        {
            throw error($"{what}: '{operation.Name}' is not a read operation (allowed verbs: {string.Join(", ", ReadVerbs.Allowed)})");
        }
        if (ReadVerbs.ReturnsSecretsOrData(operation.Name))
        {
            throw error($"{what}: '{operation.Name}' returns secrets or stored data, which the catalog never collects");
        }
        return operation;
    }

    private static (JsonElement Fixed, IReadOnlyList<InputBinding> Bindings, InputFanOut? FanOut) ReadParams(Operation operation, YamlMappingNode? node,
        IReadOnlyList<Column>? rowColumns, string what, string? noRowReason, bool allowFanOut, Func<string, CatalogException> error)
    {
        if (node is null || node.Children.Count == 0) return (s_emptyInput, [], null);
        InputFanOut? fanOut = null;
        var input = operation.Input?.Shape ?? throw error($"{what}: {operation.Name} takes no input");
        var obj = new JsonObject();
        var bindings = new List<InputBinding>();
        foreach (var (keyNode, valueNode) in node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var member = input.FindMember(key)
                ?? throw error($"{what}: '{key}' is not an input of {operation.Name}{DidYouMean(EditDistance.Closest(key, input.Members.Select(m => m.Name)))}; inputs: {string.Join(", ", input.Members.Select(m => m.Name))}");
            (string? Column, bool AsList) reference = valueNode switch
            {
                YamlScalarNode { Value: ['$', .. var col] } => (col, false),
                YamlSequenceNode { Children: [YamlScalarNode { Value: ['$', .. var col] }] } => (col, true),
                _ => (null, false),
            };
            if (reference.Column is { } column)
            {
                if (rowColumns is null || noRowReason is not null) throw error($"{what}: '{key}' takes '${column}' from a row, but {noRowReason ?? "there is no row"}");
                if (rowColumns.All(c => c.Name != column))
                {
                    throw error($"{what}: input '{key}' takes '${column}' from the row, but the row has no column '{column}'{DidYouMean(EditDistance.Closest(column, rowColumns.Select(c => c.Name)))}");
                }
                if (reference.AsList && member.Shape.Type != ShapeType.List) throw error($"{what}: '{key}' is not a list; write '${column}' without brackets");
                if (!reference.AsList && member.Shape.Type == ShapeType.List) throw error($"{what}: '{key}' is a list; write '[${column}]'");
                bindings.Add(new InputBinding(member.Name, column, reference.AsList));
                continue;
            }
            if (valueNode is YamlSequenceNode values && member.Shape.Type is not (ShapeType.List or ShapeType.Structure or ShapeType.Map))
            {
                if (!allowFanOut || fanOut is not null) throw error($"{what}: '{key}' takes one value; only one parameter of a table may list several (one call per value)");
                fanOut = new InputFanOut(member.Name, values.Select(v => ToJson(v, member.Shape, $"{what}: {key}", error)!.GetValue<object>().ToString()!).ToArray());
                continue;
            }
            obj[member.Name] = ToJson(valueNode, member.Shape, $"{what}: {key}", error);
        }
        return (JsonSerializer.SerializeToElement(obj), bindings, fanOut);
    }

    private static JsonNode? ToJson(YamlNode node, Shape shape, string where, Func<string, CatalogException> error)
    {
        switch (shape.Type)
        {
            case ShapeType.List:
                if (node is not YamlSequenceNode seq) throw error($"{where} is a list; write [..]");
                var array = new JsonArray();
                foreach (var item in seq) array.Add(ToJson(item, shape.ListMember!.Shape, where + "[]", error));
                return array;
            case ShapeType.Structure:
                {
                    if (node is not YamlMappingNode map) throw error($"{where} is a structure; write {{ Member: value }}");
                    var obj = new JsonObject();
                    foreach (var (k, v) in map.Children)
                    {
                        var name = (k as YamlScalarNode)?.Value ?? "";
                        var member = shape.FindMember(name) ?? throw error($"{where}: '{name}' is not a member{DidYouMean(EditDistance.Closest(name, shape.Members.Select(m => m.Name)))}");
                        obj[member.Name] = ToJson(v, member.Shape, $"{where}.{name}", error);
                    }
                    return obj;
                }
            case ShapeType.Map:
                {
                    if (node is not YamlMappingNode map) throw error($"{where} is a map; write {{ key: value }}");
                    var obj = new JsonObject();
                    foreach (var (k, v) in map.Children) obj[(k as YamlScalarNode)?.Value ?? ""] = ToJson(v, shape.MapValue!.Shape, where, error);
                    return obj;
                }
        }
        if (node is not YamlScalarNode { Value: { } text }) throw error($"{where} must be a single value");
        return shape.Type switch
        {
            ShapeType.Integer or ShapeType.Long when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            ShapeType.Float or ShapeType.Double when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            ShapeType.Boolean when text is "true" or "false" => JsonValue.Create(text == "true"),
            ShapeType.String when shape.EnumValues is { } values && !values.Contains(text) => throw error($"{where}: '{text}' is not one of {string.Join(", ", values)}"),
            ShapeType.String or ShapeType.Timestamp => JsonValue.Create(text),
            _ => throw error($"{where}: '{text}' is not a valid {shape.Type.ToString().ToLowerInvariant()}"),
        };
    }

    private static void CheckRequiredInputs(Operation operation, JsonElement fixedInput, IReadOnlyList<InputBinding> bindings, InputFanOut? fanOut, string what, Func<string, CatalogException> error)
    {
        if (operation.Input?.Shape is not { } input) return;
        foreach (var member in input.Members.Where(m => m.IsRequired))
        {
            if (fixedInput.TryGetProperty(member.Name, out _) || bindings.Any(b => b.Parameter == member.Name) || fanOut?.Parameter == member.Name) continue;
            throw error($"{what}: {operation.Name} requires '{member.Name}'; give it in 'params' (a fixed value, or $column from the row)");
        }
    }

    /// <summary>The rows of an operation when the spec does not say: the paginator's result key, else the only list in the output.</summary>
    internal static RowPath? DefaultRowPath(Operation operation)
    {
        if (operation.Paginator is { ResultKeys.Count: > 0 } p && SimpleExpression().IsMatch(p.ResultKeys[0]))
        {
            var parts = p.ResultKeys[0].Split('.');
            var path = RowPath.Of(parts.Select((x, i) => new RowPathSegment(x, i == parts.Length - 1)));
            try
            {
                var (shape, member) = Walk(operation.Output?.Shape, RowPath.Of(parts.Select(x => new RowPathSegment(x, false))), true, "", m => new CatalogException(m));
                if (member?.Shape.Type == ShapeType.List) return path;
            }
            catch (CatalogException)
            {
                // The result key does not fit the output shape; fall back to the shape.
            }
        }
        var lists = operation.Output?.Shape.Members.Where(m => m.Shape.Type == ShapeType.List).ToArray() ?? [];
        return lists.Length == 1 ? RowPath.Of([new RowPathSegment(lists[0].Name, true)]) : null;
    }

    /// <summary>Follows a path through an output shape; returns the shape reached and the last member.</summary>
    internal static (Shape Shape, Member? Member) Walk(Shape? start, RowPath path, bool allowTrailingList, string what, Func<string, CatalogException> error)
    {
        var shape = start ?? throw error($"{what}: the operation has no output");
        Member? member = null;
        for (var i = 0; i < path.Segments.Count; i++)
        {
            var segment = path.Segments[i];
            if (shape.Type != ShapeType.Structure)
            {
                throw error($"{what}: '{path.Prefix(i)}' is a {shape.Type.ToString().ToLowerInvariant()}, so it has no member '{segment.Member}'");
            }
            member = shape.FindMember(segment.Member)
                ?? throw error($"{what}: '{segment.Member}' does not exist in the output{(i == 0 ? "" : $" at '{path.Prefix(i)}'")}{DidYouMean(EditDistance.Closest(segment.Member, shape.Members.Select(m => m.Name)))}; members: {string.Join(", ", shape.Members.Select(m => m.Name))}");
            shape = member.Shape;
            if (segment.IsList)
            {
                if (shape.Type != ShapeType.List) throw error($"{what}: '{segment.Member}' is not a list; drop the '[]'");
                shape = shape.ListMember!.Shape;
            }
            else if (shape.Type == ShapeType.List && (i < path.Segments.Count - 1 || !allowTrailingList))
            {
                throw error($"{what}: '{segment.Member}' is a list; write '{segment.Member}[]'");
            }
        }
        return (shape, member);
    }

    private static RowPath ParsePath(string text, string what, Func<string, CatalogException> error)
    {
        try
        {
            return RowPath.Parse(text);
        }
        catch (FormatException e)
        {
            throw error($"{what}: {e.Message}");
        }
    }

    /// <summary>A best guess at the identifying column of a discovered table.</summary>
    internal static IReadOnlyList<string> GuessPrimaryKey(IReadOnlyList<Column> columns, string resource)
    {
        var api = columns.Where(c => c.Origin == ColumnOrigin.Api && c.Type.Kind == ColumnKind.String).Select(c => c.Name).ToArray();
        var singular = ColumnNames.Singular(resource);
        string[] preferred = ["arn", singular + "_arn", "id", singular + "_id", "name", singular + "_name"];
        var key = preferred.FirstOrDefault(api.Contains)
            ?? api.FirstOrDefault(c => c.EndsWith("_arn", StringComparison.Ordinal))
            ?? api.FirstOrDefault(c => c.EndsWith("_id", StringComparison.Ordinal))
            ?? api.FirstOrDefault(c => c.EndsWith("_name", StringComparison.Ordinal));
        if (key is null && api.Length == 1 && columns.Count(c => c.Origin == ColumnOrigin.Api) == 1) key = api[0];
        return key is null ? [] : [key];
    }

    private static string DidYouMean(string? suggestion) => suggestion is null ? "" : $" (did you mean '{suggestion}'?)";

    [GeneratedRegex("^[a-z][a-z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnName();

    [GeneratedRegex("^(Tags|TagList|TagSet|tags|tagList|tagSet|ResourceTags|TagsList)$", RegexOptions.CultureInvariant)]
    private static partial Regex TagMemberName();

    [GeneratedRegex(@"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SimpleExpression();
}
