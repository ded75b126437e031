namespace CloudInventory.Aws.Endpoints;

/// <summary>Where a service is called and how requests to it are signed.</summary>
/// <param name="Url">The base URL (scheme, host, port, and an optional base path for custom endpoints).</param>
/// <param name="SigningRegion">The SigV4 signing region.</param>
/// <param name="SigningName">The SigV4 signing name.</param>
/// <param name="IsCustom">True for an endpoint given explicitly or by <c>AWS_ENDPOINT_URL*</c>.</param>
public sealed record AwsEndpoint(Uri Url, string SigningRegion, string SigningName, bool IsCustom)
{
    /// <summary>
    /// The URL for an operation with an <c>endpoint.hostPrefix</c> (already resolved, e.g. <c>data.</c>).
    /// The prefix is prepended to DNS host names, AWS's and custom ones alike, but not to IP addresses
    /// or <c>localhost</c>: a prefixed IP is no host at all, and loopback test servers and simulators
    /// serve every operation on one address.
    /// </summary>
    public Uri WithHostPrefix(string? hostPrefix)
    {
        if (string.IsNullOrEmpty(hostPrefix) || !AcceptsHostPrefix) return Url;
        return new UriBuilder(Url) { Host = hostPrefix + Url.Host }.Uri;
    }

    /// <summary>False for IP-address and <c>localhost</c> endpoints, which host prefixes leave alone.</summary>
    public bool AcceptsHostPrefix =>
        Url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6)
        && !Url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
}
