using YamlDotNet.RepresentationModel;

namespace CloudInventory.Catalog.Internal;

/// <summary>One spec file: the curated tables of one service.</summary>
internal sealed record ServiceSpec(string File, string Service, string? Model, TableScope Scope, IReadOnlyList<TableSpec> Tables);

/// <summary>One table of a spec, as written.</summary>
internal sealed record TableSpec(
    string Resource,
    int Line,
    string Operation,
    YamlMappingNode? Params,
    string? Rows,
    string? Column,
    IReadOnlyList<KeyValuePair<string, string>> Carry,
    IReadOnlyList<string>? PrimaryKey,
    TableScope? Scope,
    IReadOnlyList<KeyValuePair<string, string>> Conversions,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<EnrichmentSpec> Enrichments,
    string? Parent);

/// <summary>One enrichment of a table spec, as written.</summary>
internal sealed record EnrichmentSpec(
    string Name,
    int Line,
    string Operation,
    YamlMappingNode? Params,
    string? Result,
    bool Flatten,
    IReadOnlyList<string> AbsentOn,
    string? Conversion);
