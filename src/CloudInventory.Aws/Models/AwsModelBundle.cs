using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using CloudInventory.Text;

namespace CloudInventory.Aws.Models;

/// <summary>
/// The AWS service models embedded in this assembly (built by <c>eng/build-model-bundle.mjs</c>
/// from the npm package aws-sdk). Services are indexed up front and parsed on first use.
/// </summary>
public sealed class AwsModelBundle
{
    private static readonly Lazy<AwsModelBundle> s_default = new(() => Load(
        typeof(AwsModelBundle).Assembly.GetManifestResourceStream("CloudInventory.aws-models.zip")
        ?? throw new AwsModelException("the embedded AWS model bundle is missing from the assembly")));

    private readonly byte[] _zip;
    private readonly Dictionary<string, ServiceInfo> _byName;
    private readonly Dictionary<string, ServiceInfo> _byPrefix;
    private readonly ConcurrentDictionary<string, Lazy<ServiceModel>> _models = new(StringComparer.OrdinalIgnoreCase);

    private AwsModelBundle(byte[] zip, string source, IReadOnlyList<ServiceInfo> services)
    {
        _zip = zip;
        Source = source;
        Services = services;
        _byName = services.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var s in services) _byName.TryAdd(s.ModelPrefix, s);
        _byPrefix = new Dictionary<string, ServiceInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in services) _byPrefix.TryAdd(s.EndpointPrefix, s);
    }

    /// <summary>The bundle embedded in the product.</summary>
    public static AwsModelBundle Default => s_default.Value;

    /// <summary>Where the models came from, e.g. <c>aws-sdk@2.1693.0</c>.</summary>
    public string Source { get; }

    /// <summary>Every bundled service, sorted by name.</summary>
    public IReadOnlyList<ServiceInfo> Services { get; }

    /// <summary>Loads a bundle from a zip stream.</summary>
    public static AwsModelBundle Load(Stream zipStream)
    {
        byte[] bytes;
        if (zipStream.CanSeek)
        {
            // One copy of the exact size (the embedded resource's length is known), not a growing buffer copied as it grows.
            bytes = new byte[zipStream.Length - zipStream.Position];
            zipStream.ReadExactly(bytes);
        }
        else
        {
            using var ms = new MemoryStream();
            zipStream.CopyTo(ms);
            bytes = ms.ToArray();
        }
        using var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var entry = archive.GetEntry("index.json") ?? throw new AwsModelException("model bundle has no index.json");
        using var stream = entry.Open();
        using var doc = JsonDocument.Parse(stream);
        var services = doc.RootElement.GetProperty("services").EnumerateArray().Select(s => new ServiceInfo(
            s.GetProperty("name").GetString()!,
            s.GetProperty("className").GetString()!,
            s.GetProperty("modelPrefix").GetString()!,
            s.GetProperty("apiVersion").GetString()!,
            s.GetProperty("endpointPrefix").GetString()!,
            s.GetProperty("signingName").GetString()!,
            s.GetProperty("protocol").GetString()!,
            s.GetProperty("globalEndpoint").ValueKind == JsonValueKind.String ? s.GetProperty("globalEndpoint").GetString() : null,
            s.GetProperty("operations").GetInt32())).ToArray();
        return new AwsModelBundle(bytes, doc.RootElement.GetProperty("source").GetString() ?? "", services);
    }

    /// <summary>Finds a service by its name, its model file prefix (<c>elasticloadbalancingv2</c>) or, failing those, its endpoint prefix; null when unknown.</summary>
    public ServiceInfo? Find(string nameOrPrefix) =>
        _byName.GetValueOrDefault(nameOrPrefix) ?? _byPrefix.GetValueOrDefault(nameOrPrefix);

    /// <summary>Finds a service by its endpoint prefix; null when unknown.</summary>
    public ServiceInfo? FindByEndpointPrefix(string prefix) => _byPrefix.GetValueOrDefault(prefix);

    /// <summary>Gets a service's model by name or endpoint prefix.</summary>
    /// <exception cref="AwsModelException">The service is not in the bundle.</exception>
    public ServiceModel GetService(string nameOrPrefix)
    {
        var info = Require(nameOrPrefix);
        return _models.GetOrAdd(info.Name, n => new Lazy<ServiceModel>(() => ParseService(n))).Value;
    }

    /// <summary>
    /// Gets a service's model without keeping it in this bundle: the cached one if there is one, else freshly parsed
    /// and left to the caller. For passes over many services (building the table catalog) whose models need not stay
    /// in memory afterwards: the curated catalog's 73 models hold ~25 MiB.
    /// </summary>
    /// <exception cref="AwsModelException">The service is not in the bundle.</exception>
    public ServiceModel GetServiceWithoutCaching(string nameOrPrefix)
    {
        var info = Require(nameOrPrefix);
        return _models.TryGetValue(info.Name, out var cached) && cached.IsValueCreated ? cached.Value : ParseService(info.Name);
    }

    private ServiceInfo Require(string nameOrPrefix) => Find(nameOrPrefix) ?? throw new AwsModelException(
        $"unknown AWS service '{nameOrPrefix}'{Suggest(nameOrPrefix)}; `cloudinv aws services` lists them");

    private ServiceModel ParseService(string name)
    {
        using var archive = new ZipArchive(new MemoryStream(_zip, writable: false), ZipArchiveMode.Read);
        var entry = archive.GetEntry(name + ".json") ?? throw new AwsModelException($"model bundle has no entry for '{name}'");
        using var stream = entry.Open();
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        return ServiceModel.Parse(name, root.GetProperty("api"), root.GetProperty("paginators"));
    }

    private string Suggest(string input)
    {
        var best = EditDistance.Closest(input, Services.Select(s => s.Name).Concat(Services.Select(s => s.EndpointPrefix)));
        return best is null ? "" : $" (did you mean '{best}'?)";
    }
}
