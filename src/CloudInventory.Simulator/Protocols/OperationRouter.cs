using System.Collections.Concurrent;
using System.Text;
using CloudInventory.Aws.Models;

namespace CloudInventory.Simulator.Protocols;

/// <summary>
/// Finds the service and operation a request addresses: the SigV4 signing name narrows the
/// services, then the protocol decides (Action+Version for query/ec2, X-Amz-Target for JSON,
/// method and URI template for REST).
/// </summary>
internal sealed class OperationRouter
{
    private readonly AwsModelBundle _bundle;
    private readonly Dictionary<string, List<ServiceInfo>> _bySigningName;
    private readonly ConcurrentDictionary<string, RestRoute[]> _routes = new(StringComparer.Ordinal);

    public OperationRouter(AwsModelBundle bundle)
    {
        _bundle = bundle;
        _bySigningName = bundle.Services.GroupBy(s => s.SigningName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>The result of routing: the operation and, for REST, the URI labels.</summary>
    public sealed record Match(Operation Operation, IReadOnlyDictionary<string, string> UriLabels);

    /// <summary>Routes a request; null with an error code and message when nothing matches.</summary>
    public (Match? Match, ServiceModel? Service, string? ErrorCode, string? ErrorMessage) Route(string signingName, SimulatedRequest request)
    {
        if (!_bySigningName.TryGetValue(signingName, out var candidates))
            return (null, null, "UnrecognizedClientException", $"The security token included in the request is invalid: unknown service '{signingName}' in the credential scope.");
        var models = candidates.Select(c => _bundle.GetService(c.Name)).ToList();
        var contentType = request.Headers.GetValueOrDefault("Content-Type") ?? "";

        if (request.Headers.TryGetValue("X-Amz-Target", out var target))
        {
            var dot = target.LastIndexOf('.');
            var prefix = dot < 0 ? "" : target[..dot];
            var opName = target[(dot + 1)..];
            var service = models.FirstOrDefault(m => m.Protocol == AwsProtocol.Json && string.Equals(m.TargetPrefix, prefix, StringComparison.Ordinal));
            if (service is null)
                return (null, models[0], "UnknownOperationException", $"Unknown target prefix '{prefix}'.");
            return service.Operations.TryGetValue(opName, out var op)
                ? (new Match(op, Empty), service, null, null)
                : (null, service, "UnknownOperationException", $"Operation {opName} is not supported by {service.ServiceId}.");
        }

        var queryModels = models.Where(m => m.Protocol is AwsProtocol.Query or AwsProtocol.Ec2).ToList();
        if (queryModels.Count > 0 && (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) || request.Query.Any(q => q.Key == "Action")))
        {
            var form = RequestParser.FormParameters(request);
            var action = form.GetValueOrDefault("Action");
            var version = form.GetValueOrDefault("Version");
            // Several services can share a signing name and version (rds, docdb and neptune): prefer one
            // that has the action, and among those the one named like the signing name.
            var versioned = queryModels.Where(m => m.ApiVersion == version).ToList();
            var service = versioned.Where(m => action is not null && m.Operations.ContainsKey(action))
                    .OrderByDescending(m => m.Name == signingName).FirstOrDefault()
                ?? versioned.FirstOrDefault() ?? (queryModels.Count == 1 ? queryModels[0] : null);
            if (service is null)
                return (null, queryModels[0], "InvalidParameterValue", $"Unsupported API version '{version}'.");
            if (version != service.ApiVersion)
                return (null, service, "NoSuchVersion", $"The requested version ({version}) of service {service.ServiceId} does not exist");
            if (action is null || !service.Operations.TryGetValue(action, out var op))
                return (null, service, "InvalidAction", $"The action {action} is not valid for this web service.");
            return (new Match(op, Empty), service, null, null);
        }

        foreach (var service in models.Where(m => m.Protocol is AwsProtocol.RestJson or AwsProtocol.RestXml))
        {
            var routes = _routes.GetOrAdd(service.Name, _ => service.Operations.Values.Select(RestRoute.Create)
                .OrderByDescending(r => r.Specificity).ThenBy(r => r.Operation.Deprecated).ToArray());
            foreach (var route in routes)
            {
                if (route.TryMatch(request, out var labels)) return (new Match(route.Operation, labels), service, null, null);
            }
        }
        var fallback = models[0];
        return (null, fallback, fallback.Protocol is AwsProtocol.RestJson or AwsProtocol.RestXml ? "UnknownOperationException" : "InvalidAction",
            $"No operation of {fallback.ServiceId} matches {request.Method} {request.RawPath}.");
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private sealed record RestRoute(Operation Operation, string[] Segments, KeyValuePair<string, string?>[] StaticQuery, int Specificity)
    {
        public static RestRoute Create(Operation operation)
        {
            var uri = operation.RequestUri;
            var q = uri.IndexOf('?', StringComparison.Ordinal);
            var path = q < 0 ? uri : uri[..q];
            var staticQuery = q < 0 ? [] : uri[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p.Length > 1 ? p[1] : null)).ToArray();
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var literal = segments.Count(s => !s.StartsWith('{'));
            return new RestRoute(operation, segments, staticQuery, literal * 10 + staticQuery.Length * 5 + segments.Length);
        }

        public bool TryMatch(SimulatedRequest request, out IReadOnlyDictionary<string, string> labels)
        {
            labels = Empty;
            if (!string.Equals(request.Method, Operation.HttpMethod, StringComparison.OrdinalIgnoreCase)) return false;
            foreach (var (k, v) in StaticQuery)
            {
                if (!request.Query.Any(p => p.Key == k && (v is null || p.Value == v))) return false;
            }
            var raw = request.RawPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            var i = 0;
            for (var s = 0; s < Segments.Length; s++)
            {
                var seg = Segments[s];
                if (seg.StartsWith('{') && seg.EndsWith("+}", StringComparison.Ordinal))
                {
                    if (i >= raw.Length) return false;
                    found[seg[1..^2]] = Uri.UnescapeDataString(string.Join('/', raw[i..]));
                    i = raw.Length;
                    continue;
                }
                if (i >= raw.Length) return false;
                if (seg.StartsWith('{') && seg.EndsWith('}'))
                {
                    found[seg[1..^1]] = Uri.UnescapeDataString(raw[i]);
                }
                else if (seg.Contains('{', StringComparison.Ordinal))
                {
                    if (!MatchMixed(seg, Uri.UnescapeDataString(raw[i]), found)) return false;
                }
                else if (!string.Equals(seg, raw[i], StringComparison.Ordinal))
                {
                    return false;
                }
                i++;
            }
            if (i != raw.Length) return false;
            labels = found;
            return true;
        }

        private static bool MatchMixed(string template, string value, Dictionary<string, string> found)
        {
            // e.g. "functions{Name}" or "{Id}.json": one label with a literal prefix/suffix.
            var open = template.IndexOf('{', StringComparison.Ordinal);
            var close = template.IndexOf('}', StringComparison.Ordinal);
            var prefix = template[..open];
            var suffix = template[(close + 1)..];
            if (!value.StartsWith(prefix, StringComparison.Ordinal) || !value.EndsWith(suffix, StringComparison.Ordinal) || value.Length < prefix.Length + suffix.Length) return false;
            found[template[(open + 1)..close].TrimEnd('+')] = value[prefix.Length..^suffix.Length];
            return true;
        }
    }

}
