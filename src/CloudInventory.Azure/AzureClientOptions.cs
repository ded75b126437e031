using Azure.Core.Pipeline;

namespace CloudInventory.Azure;

/// <summary>Where and how an <see cref="AzureClient"/> reaches Azure Resource Manager.</summary>
public sealed class AzureClientOptions
{
    /// <summary>The public cloud's Resource Manager endpoint.</summary>
    public static readonly Uri PublicCloudEndpoint = new("https://management.azure.com");

    /// <summary>The environment variable that overrides <see cref="Endpoint"/> (e.g. a sovereign cloud or the simulator).</summary>
    public const string EndpointVariable = "CLOUDINV_AZURE_ENDPOINT";

    /// <summary>The Resource Manager endpoint (https only: bearer tokens never travel in clear text).</summary>
    public Uri Endpoint { get; set; } = PublicCloudEndpoint;

    /// <summary>
    /// The token scope for Resource Manager; null derives it from <see cref="Endpoint"/>
    /// (<c>https://management.azure.com/.default</c> for the public cloud).
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>Rows per Resource Graph page (1 to 1,000, Azure's maximum).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// The Resource Graph pages held in memory at once across every query of the client (a page of 1,000 rows is
    /// 1–3 MB of answer and document): a query waits for a place before asking for its next page.
    /// </summary>
    public int MaxPagesInFlight { get; set; } = 4;

    /// <summary>How often a throttled (429), failed (5xx) or cut-short call is tried again.</summary>
    public int MaxRetries { get; set; } = 8;

    /// <summary>The longest wait between two tries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The HTTP transport; null uses Azure.Core's default (the system's TLS trust, e.g. <c>SSL_CERT_FILE</c>).
    /// Tests hand in a transport that trusts a private CA; certificate validation is never switched off.
    /// </summary>
    public HttpPipelineTransport? Transport { get; set; }

    /// <summary>The scope token requests are made for.</summary>
    internal string EffectiveScope => Scope ?? Endpoint.GetLeftPart(UriPartial.Authority) + "/.default";

    /// <summary>Reads the endpoint from <see cref="EndpointVariable"/> when it is set.</summary>
    /// <exception cref="ArgumentException">The variable is not an absolute https URL.</exception>
    public static AzureClientOptions FromEnvironment()
    {
        var options = new AzureClientOptions();
        if (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } text)
        {
            options.Endpoint = ParseEndpoint(text, EndpointVariable);
        }
        return options;
    }

    /// <summary>Parses an endpoint the user named, saying where it came from when it is not usable.</summary>
    /// <exception cref="ArgumentException">The text is not an absolute https URL.</exception>
    public static Uri ParseEndpoint(string text, string source)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{source}: '{text}' is not an https URL (e.g. https://management.azure.com)");
        }
        return uri;
    }
}
