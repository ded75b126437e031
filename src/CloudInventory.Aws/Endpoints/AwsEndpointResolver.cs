using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Endpoints;

/// <summary>
/// Resolves a service's endpoint and signing region for a region: regional
/// <c>https://{prefix}.{region}.{dnsSuffix}</c>; global services (the model's <c>globalEndpoint</c>
/// plus a table of services that AWS serves from one region) and their signing region per partition;
/// S3's regional hosts; the aws, aws-cn, aws-us-gov and ISO partitions; and the SDK-standard
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> / <c>AWS_ENDPOINT_URL</c> overrides, below an explicit URL.
/// </summary>
public sealed class AwsEndpointResolver
{
    private readonly Func<string, string?> _environment;

    /// <summary>Creates a resolver reading overrides from <paramref name="environment"/> (default: the process environment).</summary>
    public AwsEndpointResolver(Func<string, string?>? environment = null) =>
        _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>A resolver over the process environment.</summary>
    public static AwsEndpointResolver Default { get; } = new();

    // Services served from one endpoint per partition, and the region their requests are signed for.
    // Keyed by service name; per partition: host, signing region. Missing partitions fall back to the
    // generic global rule (aws-us-gov: {prefix}.us-gov.amazonaws.com, us-gov-west-1) or regional hosts.
    private static readonly Dictionary<string, Dictionary<string, (string Host, string Region)>> s_global = new(StringComparer.Ordinal)
    {
        ["iam"] = new()
        {
            ["aws"] = ("iam.amazonaws.com", "us-east-1"),
            ["aws-cn"] = ("iam.cn-north-1.amazonaws.com.cn", "cn-north-1"),
            ["aws-us-gov"] = ("iam.us-gov.amazonaws.com", "us-gov-west-1"),
        },
        ["route53"] = new()
        {
            ["aws"] = ("route53.amazonaws.com", "us-east-1"),
            ["aws-cn"] = ("route53.amazonaws.com.cn", "cn-northwest-1"),
            ["aws-us-gov"] = ("route53.us-gov.amazonaws.com", "us-gov-west-1"),
        },
        ["cloudfront"] = new()
        {
            ["aws"] = ("cloudfront.amazonaws.com", "us-east-1"),
            ["aws-cn"] = ("cloudfront.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
        },
        ["organizations"] = new()
        {
            ["aws"] = ("organizations.us-east-1.amazonaws.com", "us-east-1"),
            ["aws-cn"] = ("organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
            ["aws-us-gov"] = ("organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        },
        ["waf"] = new() { ["aws"] = ("waf.amazonaws.com", "us-east-1") },
        ["budgets"] = new()
        {
            ["aws"] = ("budgets.amazonaws.com", "us-east-1"),
            ["aws-cn"] = ("budgets.amazonaws.com.cn", "cn-northwest-1"),
        },
        ["globalaccelerator"] = new() { ["aws"] = ("globalaccelerator.us-west-2.amazonaws.com", "us-west-2") },
        ["networkmanager"] = new()
        {
            ["aws"] = ("networkmanager.us-west-2.amazonaws.com", "us-west-2"),
            ["aws-us-gov"] = ("networkmanager.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        },
        ["shield"] = new() { ["aws"] = ("shield.us-east-1.amazonaws.com", "us-east-1") },
        ["costexplorer"] = new()
        {
            ["aws"] = ("ce.us-east-1.amazonaws.com", "us-east-1"),
            ["aws-cn"] = ("ce.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
        },
        ["route53domains"] = new() { ["aws"] = ("route53domains.us-east-1.amazonaws.com", "us-east-1") },
        ["account"] = new() { ["aws"] = ("account.us-east-1.amazonaws.com", "us-east-1") },
        ["cur"] = new() { ["aws"] = ("cur.us-east-1.amazonaws.com", "us-east-1") },
        ["health"] = new() { ["aws"] = ("health.us-east-1.amazonaws.com", "us-east-1") },
        ["support"] = new()
        {
            ["aws"] = ("support.us-east-1.amazonaws.com", "us-east-1"),
            ["aws-us-gov"] = ("support.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        },
    };

    // Models that carry a globalEndpoint but are called regionally: STS (regional endpoints are the SDK
    // default) and S3 (its own rule below).
    private static readonly HashSet<string> s_regionalDespiteGlobalEndpoint = new(StringComparer.Ordinal) { "sts", "s3" };

    /// <summary>
    /// Resolves the endpoint of <paramref name="service"/> in <paramref name="region"/>.
    /// <paramref name="endpointUrl"/> wins over the environment overrides, which win over the standard rules.
    /// Custom endpoints are signed for the region the standard rules would sign for.
    /// </summary>
    /// <exception cref="ArgumentException">The region or an endpoint URL is not valid.</exception>
    public AwsEndpoint Resolve(ServiceModel service, string region, Uri? endpointUrl = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (string.IsNullOrWhiteSpace(region) || region.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException($"invalid AWS region '{region}'", nameof(region));
        }
        var standard = ResolveStandard(service, region);
        var custom = endpointUrl ?? EnvironmentOverride(service);
        if (custom is null) return standard;
        if (!custom.IsAbsoluteUri || (custom.Scheme != Uri.UriSchemeHttp && custom.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"endpoint URL '{custom}' must be an absolute http(s) URL", nameof(endpointUrl));
        }
        return standard with { Url = custom, IsCustom = true };
    }

    /// <summary>The partition a region belongs to: name and DNS suffix.</summary>
    public static (string Name, string DnsSuffix) PartitionOf(string region) => region switch
    {
        _ when region.StartsWith("cn-", StringComparison.Ordinal) => ("aws-cn", "amazonaws.com.cn"),
        _ when region.StartsWith("us-gov-", StringComparison.Ordinal) => ("aws-us-gov", "amazonaws.com"),
        _ when region.StartsWith("us-isob-", StringComparison.Ordinal) => ("aws-iso-b", "sc2s.sgov.gov"),
        _ when region.StartsWith("us-iso-", StringComparison.Ordinal) => ("aws-iso", "c2s.ic.gov"),
        _ => ("aws", "amazonaws.com"),
    };

    private static AwsEndpoint ResolveStandard(ServiceModel service, string region)
    {
        var (partition, dnsSuffix) = PartitionOf(region);
        var signingName = string.IsNullOrEmpty(service.SigningName) ? service.EndpointPrefix : service.SigningName;
        AwsEndpoint At(string host, string signingRegion) => new(new Uri("https://" + host), signingRegion, signingName, false);

        if (service.Name == "s3")
        {
            return At(region == "us-east-1" ? "s3.amazonaws.com" : $"s3.{region}.{dnsSuffix}", region);
        }
        if (s_global.TryGetValue(service.Name, out var partitions))
        {
            if (partitions.TryGetValue(partition, out var global)) return At(global.Host, global.Region);
        }
        else if (service.GlobalEndpoint is not null && !s_regionalDespiteGlobalEndpoint.Contains(service.Name))
        {
            switch (partition)
            {
                case "aws": return At(service.GlobalEndpoint, "us-east-1");
                case "aws-us-gov": return At($"{service.EndpointPrefix}.us-gov.amazonaws.com", "us-gov-west-1");
            }
        }
        return At($"{service.EndpointPrefix}.{region}.{dnsSuffix}", region);
    }

    private Uri? EnvironmentOverride(ServiceModel service)
    {
        if (string.Equals(_environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.Trim(), "true", StringComparison.OrdinalIgnoreCase)) return null;
        var serviceVariable = "AWS_ENDPOINT_URL_" + service.ServiceId.Trim().Replace(' ', '_').ToUpperInvariant();
        foreach (var name in (string[])[serviceVariable, "AWS_ENDPOINT_URL"])
        {
            var value = _environment(name);
            if (string.IsNullOrWhiteSpace(value)) continue;
            return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
                ? uri
                : throw new ArgumentException($"{name} is not an absolute URL: '{value}'");
        }
        return null;
    }
}
