using Amazon.Runtime.CredentialManagement;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// The <c>endpoint_url</c> of an AWS shared-config profile, as the AWS CLI and SDKs honour it: used when neither
/// <c>--endpoint-url</c> nor <c>$AWS_ENDPOINT_URL</c> is given and the profile does not set <c>ignore_configured_endpoint_urls</c>.
/// </summary>
internal static class ProfileEndpoint
{
    /// <summary>The profile's endpoint, or null.</summary>
    /// <exception cref="CliUsageException">The profile's endpoint_url is not an http(s) URL.</exception>
    public static Uri? For(string? profile)
    {
        if (profile is null || !string.IsNullOrEmpty(CliApp.Environment("AWS_ENDPOINT_URL"))) return null;
        if (!new CredentialProfileStoreChain().TryGetProfile(profile, out var p) || p.IgnoreConfiguredEndpointUrls == true) return null;
        if (string.IsNullOrWhiteSpace(p.EndpointUrl)) return null;
        return Uri.TryCreate(p.EndpointUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CliUsageException($"the endpoint_url '{p.EndpointUrl}' of AWS profile {profile} is not an absolute http(s) URL");
    }
}
