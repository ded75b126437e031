using CloudInventory.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudInventory.Catalog.Internal;

/// <summary>
/// Reads a service spec (YAML) into <see cref="ServiceSpec"/>, checking its structure: known keys,
/// the right kinds of values, required keys. Meaning (operations, paths, keys) is checked later
/// against the models by <see cref="TableFactory"/>.
/// </summary>
internal static class SpecReader
{
    private static readonly string[] s_fileKeys = ["service", "model", "scope", "tables"];
    private static readonly string[] s_tableKeys =
        ["resource", "operation", "params", "rows", "column", "carry", "primary_key", "scope", "conversions", "exclude", "enrichments", "parent"];
    private static readonly string[] s_enrichmentKeys = ["name", "operation", "params", "result", "flatten", "absent_on", "conversion"];

    public static ServiceSpec Read(string file, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new CatalogException(file, null, $"line {e.Start.Line}: invalid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CatalogException(file, null, "a spec is one YAML document: a mapping with 'service' and 'tables'");
        }
        CheckKeys(file, null, root, s_fileKeys);
        var service = RequiredScalar(file, null, root, "service");
        var model = OptionalScalar(file, null, root, "model");
        var scope = ReadScope(file, null, root) ?? TableScope.Regional;
        if (Get(root, "tables") is not YamlSequenceNode tables)
        {
            throw new CatalogException(file, null, "'tables' must be a list of tables");
        }
        var list = new List<TableSpec>();
        foreach (var node in tables)
        {
            if (node is not YamlMappingNode table) throw new CatalogException(file, null, $"line {node.Start.Line}: each table is a mapping");
            list.Add(ReadTable(file, table));
        }
        return new ServiceSpec(file, service, model, scope, list);
    }

    private static TableSpec ReadTable(string file, YamlMappingNode node)
    {
        var resource = RequiredScalar(file, $"line {node.Start.Line}", node, "resource");
        CheckKeys(file, resource, node, s_tableKeys);
        var enrichments = new List<EnrichmentSpec>();
        if (Get(node, "enrichments") is { } e)
        {
            if (e is not YamlSequenceNode seq) throw new CatalogException(file, resource, "'enrichments' must be a list");
            foreach (var item in seq)
            {
                if (item is not YamlMappingNode en) throw new CatalogException(file, resource, $"line {item.Start.Line}: each enrichment is a mapping");
                enrichments.Add(ReadEnrichment(file, resource, en));
            }
        }
        return new TableSpec(
            resource,
            (int)node.Start.Line,
            RequiredScalar(file, resource, node, "operation"),
            Mapping(file, resource, node, "params"),
            OptionalScalar(file, resource, node, "rows"),
            OptionalScalar(file, resource, node, "column"),
            Pairs(file, resource, node, "carry"),
            Get(node, "primary_key") is null ? null : Strings(file, resource, node, "primary_key"),
            ReadScope(file, resource, node),
            Pairs(file, resource, node, "conversions"),
            Strings(file, resource, node, "exclude"),
            enrichments,
            OptionalScalar(file, resource, node, "parent"));
    }

    private static EnrichmentSpec ReadEnrichment(string file, string table, YamlMappingNode node)
    {
        var name = RequiredScalar(file, table, node, "name");
        CheckKeys(file, table, node, s_enrichmentKeys);
        var flatten = OptionalScalar(file, table, node, "flatten") switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw new CatalogException(file, table, $"enrichment '{name}': 'flatten' must be true or false, not '{other}'"),
        };
        return new EnrichmentSpec(name, (int)node.Start.Line,
            RequiredScalar(file, table, node, "operation"),
            Mapping(file, table, node, "params"),
            OptionalScalar(file, table, node, "result"),
            flatten,
            Strings(file, table, node, "absent_on"),
            OptionalScalar(file, table, node, "conversion"));
    }

    private static TableScope? ReadScope(string file, string? table, YamlMappingNode node) => OptionalScalar(file, table, node, "scope") switch
    {
        null => null,
        "regional" => TableScope.Regional,
        "global" => TableScope.Global,
        var other => throw new CatalogException(file, table, $"'scope' must be regional or global, not '{other}'"),
    };

    private static void CheckKeys(string file, string? table, YamlMappingNode node, string[] allowed)
    {
        foreach (var key in node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (allowed.Contains(name, StringComparer.Ordinal)) continue;
            var suggestion = EditDistance.Closest(name, allowed);
            throw new CatalogException(file, table,
                $"line {key.Start.Line}: unknown key '{name}'{(suggestion is null ? "" : $" (did you mean '{suggestion}'?)")}; allowed: {string.Join(", ", allowed)}");
        }
    }

    private static YamlNode? Get(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string RequiredScalar(string file, string? table, YamlMappingNode node, string key) =>
        OptionalScalar(file, table, node, key) is { Length: > 0 } value ? value
        : throw new CatalogException(file, table, $"line {node.Start.Line}: '{key}' is required");

    private static string? OptionalScalar(string file, string? table, YamlMappingNode node, string key) => Get(node, key) switch
    {
        null => null,
        YamlScalarNode s => s.Value,
        var other => throw new CatalogException(file, table, $"line {other.Start.Line}: '{key}' must be a single value"),
    };

    private static YamlMappingNode? Mapping(string file, string? table, YamlMappingNode node, string key) => Get(node, key) switch
    {
        null => null,
        YamlMappingNode m => m,
        var other => throw new CatalogException(file, table, $"line {other.Start.Line}: '{key}' must be a mapping"),
    };

    private static List<string> Strings(string file, string? table, YamlMappingNode node, string key)
    {
        switch (Get(node, key))
        {
            case null: return [];
            case YamlScalarNode s when s.Value is { Length: > 0 } v: return [v];
            case YamlSequenceNode seq:
                return seq.Select(n => n is YamlScalarNode { Value: { } v } ? v
                    : throw new CatalogException(file, table, $"line {n.Start.Line}: '{key}' must list plain values")).ToList();
            case var other: throw new CatalogException(file, table, $"line {other.Start.Line}: '{key}' must be a list of values");
        }
    }

    private static List<KeyValuePair<string, string>> Pairs(string file, string? table, YamlMappingNode node, string key)
    {
        var map = Mapping(file, table, node, key);
        if (map is null) return [];
        return map.Children.Select(kv => kv is { Key: YamlScalarNode { Value: { } k }, Value: YamlScalarNode { Value: { } v } }
            ? new KeyValuePair<string, string>(k, v)
            : throw new CatalogException(file, table, $"line {kv.Key.Start.Line}: '{key}' maps names to single values")).ToList();
    }
}
