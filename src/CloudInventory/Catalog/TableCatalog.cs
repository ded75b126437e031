using System.Collections.Concurrent;
using CloudInventory.Aws.Models;
using CloudInventory.Azure.Models;
using CloudInventory.Catalog.Internal;
using CloudInventory.Text;

namespace CloudInventory.Catalog;

/// <summary>
/// Every table Cloud Inventory knows: for AWS, the curated ones from the specs (embedded in this assembly
/// from <c>specs/aws/*.yaml</c>) and the ones discovered from the AWS models; for Azure (in the default catalog), one per
/// resource type of Azure's models plus <c>azure_resources</c>, <c>azure_subscriptions</c> and <c>azure_resource_groups</c>.
/// </summary>
public sealed class TableCatalog
{
    private const string SpecResourcePrefix = "CloudInventory.specs.aws.";
    private static readonly Lazy<TableCatalog> s_default = new(CreateDefault);
    private Dictionary<string, Table> _byName;

    private readonly Lazy<IReadOnlyList<Table>> _curated;
    private readonly Lazy<IReadOnlyList<Table>> _awsCurated;
    private readonly Lazy<Dictionary<string, Table>> _awsCuratedByName;
    private readonly Lazy<IReadOnlyList<Table>> _tables;
    private readonly IReadOnlyList<CatalogEntry>? _index;
    private readonly Dictionary<string, CatalogEntry>? _indexByName;
    private readonly Func<string, string?, IReadOnlyList<Table>>? _loadFromSpecFile;
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<Table>>> _builtAlone = new(StringComparer.Ordinal);

    // Every table built so far, by name: whichever way a table was first built (alone, with its spec file, in a curated
    // list, by discovery), every later answer is that same object, so that tables can be told apart by reference.
    private readonly ConcurrentDictionary<string, Table> _built = new(StringComparer.Ordinal);
    private readonly Lazy<IReadOnlyList<Table>> _azure;
    private readonly Lazy<Dictionary<string, Table>> _azureByName;
    private readonly Lazy<IReadOnlyList<Table>> _azureCurated;
    private readonly Func<AzureModelBundle?>? _azureBundle;

    // Discovery parses every bundled service model (seconds); it runs on first need, not at load. With an index (the
    // default catalog), curated tables are built one spec file at a time, when first asked for.
    private TableCatalog(Func<IReadOnlyList<Table>> curated, Func<IReadOnlyList<Table>, IReadOnlyList<Table>> discover,
        IReadOnlyList<CatalogEntry>? index = null, Func<string, string?, IReadOnlyList<Table>>? loadFromSpecFile = null, Func<AzureModelBundle?>? azure = null)
    {
        _azure = new Lazy<IReadOnlyList<Table>>(() => azure?.Invoke() is not { } bundle ? [] : Interned(AzureTableFactory.Build(bundle)));
        _azureByName = new Lazy<Dictionary<string, Table>>(() => _azure.Value.ToDictionary(t => t.Name, StringComparer.Ordinal));
        _azureBundle = azure;
        // With the index, the curated Azure tables are built alone (building all ~2,800 holds ~100 MB for nothing).
        _azureCurated = new Lazy<IReadOnlyList<Table>>(() => index is null
            ? _azure.Value.Where(t => t.Origin == TableOrigin.Curated).ToArray()
            : BuildAzure(index.Where(e => e.Cloud == Cloud.Azure && e.Origin == TableOrigin.Curated).Select(e => e.Name)));
        _awsCurated = new Lazy<IReadOnlyList<Table>>(() => Interned(curated()));
        _curated = new Lazy<IReadOnlyList<Table>>(() => _awsCurated.Value.Concat(_azureCurated.Value).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
        _awsCuratedByName = new Lazy<Dictionary<string, Table>>(() => _awsCurated.Value.ToDictionary(t => t.Name, StringComparer.Ordinal));
        _tables = new Lazy<IReadOnlyList<Table>>(() => _curated.Value.Concat(Interned(discover(_awsCurated.Value)))
            .Concat(_azure.Value.Where(t => t.Origin != TableOrigin.Curated)).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
        _byName = new Dictionary<string, Table>(StringComparer.Ordinal);
        _index = index;
        _indexByName = index?.ToDictionary(e => e.Name, StringComparer.Ordinal);
        _loadFromSpecFile = loadFromSpecFile;
    }

    /// <summary>The catalog of the embedded specs and models, with discovery.</summary>
    public static TableCatalog Default => s_default.Value;

    /// <summary>Every table, sorted by name.</summary>
    public IReadOnlyList<Table> Tables => _tables.Value;

    /// <summary>The curated tables.</summary>
    public IEnumerable<Table> Curated => _curated.Value;

    /// <summary>The curated tables of one cloud (the other cloud's are not built).</summary>
    public IEnumerable<Table> CuratedOf(Cloud cloud) => _curated.IsValueCreated
        ? _curated.Value.Where(t => t.Cloud == cloud)
        : (cloud == Cloud.Azure ? _azureCurated.Value : _awsCurated.Value).OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>
    /// The tables whose names match a glob (<c>*</c>, <c>?</c>), sorted. With the prebuilt index only what matches is
    /// built: Azure's matching types, each AWS spec file with a match once; a match among AWS's discovered tables
    /// needs discovery (every service model).
    /// </summary>
    public IReadOnlyList<Table> Matching(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        if (_index is null || _tables.IsValueCreated || _loadFromSpecFile is null)
        {
            return Tables.Where(t => Glob.IsMatch(t.Name, glob)).ToArray();
        }
        var entries = _index.Where(e => Glob.IsMatch(e.Name, glob)).ToArray();
        if (entries.Any(e => e.Cloud == Cloud.Aws && e.SpecFile is null)) return Tables.Where(t => Glob.IsMatch(t.Name, glob)).ToArray();
        var names = entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var matched = new List<Table>();
        foreach (var file in entries.Where(e => e.Cloud == Cloud.Aws).GroupBy(e => e.SpecFile!))
        {
            matched.AddRange(file.Count() == 1 ? [Find(file.First().Name)!] : Interned(_loadFromSpecFile(file.Key, null)).Where(t => names.Contains(t.Name)));
        }
        matched.AddRange(BuildAzure(entries.Where(e => e.Cloud == Cloud.Azure).Select(e => e.Name)));
        return matched.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The discovered tables.</summary>
    public IEnumerable<Table> Discovered => Tables.Where(t => t.Origin == TableOrigin.Discovered);

    /// <summary>The tables of one cloud, sorted by name.</summary>
    public IEnumerable<Table> Of(Cloud cloud) => cloud == Cloud.Azure ? _azure.Value : Tables.Where(t => t.Cloud == cloud);

    /// <summary>
    /// Every table as an index entry, sorted by name: from the prebuilt index when there is one (no table is built, no
    /// model loaded), else from <see cref="Tables"/>.
    /// </summary>
    public IReadOnlyList<CatalogEntry> Entries => _index ?? Tables.Select(CatalogEntry.Of).ToArray();

    // Nothing is loaded here: the AWS and Azure model bundles are read when a table is first built (a short command that
    // lists tables or queries one table must not pay for reading every model).
    private static TableCatalog CreateDefault() =>
        new(() => BuildCurated(AwsModelBundle.Default, EmbeddedSpecs()), curated => TableDiscovery.Discover(AwsModelBundle.Default, curated).ToArray(),
            CatalogIndex.Embedded(), (file, name) => BuildCurated(AwsModelBundle.Default, [new KeyValuePair<string, string>(file, EmbeddedSpec(file))], name), () => AzureModelBundle.Default);

    /// <summary>Builds a catalog from spec files and, unless <paramref name="discover"/> is false, the tables discovered in the bundle.</summary>
    /// <param name="bundle">The AWS models.</param>
    /// <param name="specs">Spec files as (file name, YAML text).</param>
    /// <param name="discover">Whether to add the discovered tables.</param>
    /// <param name="azure">Azure's type models, for the Azure tables; none when null.</param>
    /// <exception cref="CatalogException">A spec is invalid.</exception>
    public static TableCatalog Load(AwsModelBundle bundle, IEnumerable<KeyValuePair<string, string>> specs, bool discover = true, AzureModelBundle? azure = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(specs);
        var curated = BuildCurated(bundle, specs);
        return new TableCatalog(() => curated, c => discover ? TableDiscovery.Discover(bundle, c).ToArray() : [], azure: () => azure);
    }

    // Every table of the spec files; with only, that table and its parents.
    private static List<Table> BuildCurated(AwsModelBundle bundle, IEnumerable<KeyValuePair<string, string>> specs, string? only = null)
    {
        var factory = new TableFactory(bundle);
        var curated = new List<Table>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, yaml) in specs.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var spec = SpecReader.Read(file, yaml);
            foreach (var table in factory.Build(spec, only))
            {
                if (!files.TryAdd(table.Name, file))
                {
                    throw new CatalogException(file, table.Name, $"the table is also defined in {files[table.Name]}");
                }
                curated.Add(table);
            }
        }
        return curated;
    }

    private static string EmbeddedSpec(string file)
    {
        var assembly = typeof(TableCatalog).Assembly;
        using var stream = assembly.GetManifestResourceStream(SpecResourcePrefix + Path.GetFileName(file))
            ?? throw new CatalogException(file, "", "the catalog index names a spec file that is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Builds a catalog from the <c>*.yaml</c> spec files of a directory (the <c>--specs</c> override), with the embedded Azure tables.</summary>
    public static TableCatalog LoadDirectory(AwsModelBundle bundle, string directory, bool discover = true)
    {
        var files = Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => new KeyValuePair<string, string>(f, File.ReadAllText(f)));
        return Load(bundle, files, discover, AzureModelBundle.Default);
    }

    /// <summary>The spec files embedded in this assembly, as (<c>specs/aws/&lt;service&gt;.yaml</c>, YAML text).</summary>
    public static IEnumerable<KeyValuePair<string, string>> EmbeddedSpecs()
    {
        var assembly = typeof(TableCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(SpecResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return new KeyValuePair<string, string>("specs/aws/" + name[SpecResourcePrefix.Length..], reader.ReadToEnd());
        }
    }

    /// <summary>Finds a table by name, or null. With the prebuilt index, a curated table is built alone (with its parents) from its own spec file.</summary>
    public Table? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_built.TryGetValue(name, out var known)) return known;
        if (name.StartsWith("azure_", StringComparison.Ordinal))
        {
            if (_indexByName is null || _azure.IsValueCreated) return _azureByName.Value.GetValueOrDefault(name);
            return _indexByName.ContainsKey(name) ? BuildAzure([name]).FirstOrDefault() : null;
        }
        if (_indexByName is not null && !_awsCurated.IsValueCreated)
        {
            if (!_indexByName.TryGetValue(name, out var entry)) return null;
            if (entry.SpecFile is { } file
                && _builtAlone.GetOrAdd(name, n => new Lazy<IReadOnlyList<Table>>(() => Interned(_loadFromSpecFile!(file, n)))).Value.FirstOrDefault(t => t.Name == name) is { } built)
            {
                return built;
            }
        }
        if (_awsCuratedByName.Value.TryGetValue(name, out var curated)) return curated;
        var all = Volatile.Read(ref _byName);
        if (all.Count == 0)
        {
            all = Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
            Volatile.Write(ref _byName, all);
        }
        return all.GetValueOrDefault(name);
    }

    // The table of that name built before, or this one from now on.
    private IReadOnlyList<Table> Interned(IEnumerable<Table> tables) => tables.Select(t => _built.GetOrAdd(t.Name, t)).ToArray();

    // The Azure tables of these names, each built once (one pass over the bundle for those not built yet).
    private IReadOnlyList<Table> BuildAzure(IEnumerable<string> names)
    {
        var list = names.ToArray();
        var missing = list.Where(n => !_built.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
        if (missing.Count > 0 && _azureBundle?.Invoke() is { } bundle) Interned(AzureTableFactory.Build(bundle, missing.Contains));
        return list.Select(n => _built.GetValueOrDefault(n)).OfType<Table>().ToArray();
    }

    /// <summary>
    /// Starts building the tables of these names on the thread pool and returns at once (names that are no table are
    /// ignored). A short command calls it as soon as it knows the tables it needs, so that building them (parsing their
    /// spec and AWS model) overlaps with opening the store; a later <see cref="Find"/> takes the built table, or waits for it.
    /// </summary>
    public void Prefetch(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = names.ToArray();
        if (list.Length == 0) return;
        _ = Task.Run(() =>
        {
            foreach (var name in list)
            {
                try
                {
                    Find(name);
                }
                catch (CatalogException)
                {
                    // The caller's own Find reports it.
                }
            }
        });
    }

    /// <summary>The closest table name to a misspelt one, or null.</summary>
    public string? Suggest(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var closest = EditDistance.Closest(name, Entries.Select(t => t.Name));
        if (closest is not null) return closest;
        var prefixed = name.StartsWith("aws_", StringComparison.Ordinal) ? name : "aws_" + name;
        return Find(prefixed) is not null ? prefixed : null;
    }
}
