using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace CloudInventory.Azure;

/// <summary>
/// The credential the collector authenticates with: Azure.Identity's <see cref="DefaultAzureCredential"/>
/// (environment, workload identity, managed identity, Azure CLI…). With an authority other than the public
/// cloud's (<c>AZURE_AUTHORITY_HOST</c>: a sovereign cloud or the simulator), instance discovery is switched off,
/// so no request goes to a host the user did not name.
/// </summary>
public static class AzureCredentialSource
{
    /// <summary>The environment variable Azure.Identity reads the token authority from.</summary>
    public const string AuthorityHostVariable = "AZURE_AUTHORITY_HOST";

    /// <summary>The default credential chain, honouring <c>AZURE_AUTHORITY_HOST</c>.</summary>
    /// <exception cref="ArgumentException"><c>AZURE_AUTHORITY_HOST</c> is not an https URL.</exception>
    public static TokenCredential CreateDefault(HttpPipelineTransport? transport = null)
    {
        var options = new DefaultAzureCredentialOptions();
        Configure(options, AuthorityHostFromEnvironment(), transport);
        return new DefaultAzureCredential(options);
    }

    /// <summary>A service principal with a client secret, against an authority host (null: the public cloud).</summary>
    public static TokenCredential CreateClientSecret(string tenantId, string clientId, string clientSecret, Uri? authorityHost = null, HttpPipelineTransport? transport = null)
    {
        var options = new ClientSecretCredentialOptions();
        Configure(options, authorityHost, transport);
        return new ClientSecretCredential(tenantId, clientId, clientSecret, options);
    }

    /// <summary>Whether an authority host is one MSAL's instance discovery knows (the public cloud's).</summary>
    public static bool IsPublicAuthority(Uri authorityHost) =>
        string.Equals(authorityHost.Host, AzureAuthorityHosts.AzurePublicCloud.Host, StringComparison.OrdinalIgnoreCase);

    private static Uri? AuthorityHostFromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(AuthorityHostVariable) is not { Length: > 0 } text) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{AuthorityHostVariable}: '{text}' is not an https URL (e.g. https://login.microsoftonline.com)");
        }
        return uri;
    }

    private static void Configure(TokenCredentialOptions options, Uri? authorityHost, HttpPipelineTransport? transport)
    {
        if (transport is not null) options.Transport = transport;
        if (authorityHost is null) return;
        options.AuthorityHost = authorityHost;
        if (IsPublicAuthority(authorityHost)) return;
        switch (options)
        {
            case DefaultAzureCredentialOptions d:
                d.DisableInstanceDiscovery = true;
                break;
            case ClientSecretCredentialOptions c:
                c.DisableInstanceDiscovery = true;
                break;
        }
    }
}
