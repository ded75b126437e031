using System.Text;

namespace CloudInventory.Aws.Protocols;

/// <summary>
/// An HTTP request as a protocol serializer produces it, before endpoint resolution and signing:
/// method, encoded path, query parameters, headers and body.
/// </summary>
public sealed class AwsHttpRequest
{
    /// <summary>The HTTP method.</summary>
    public string Method { get; set; } = "POST";

    /// <summary>The path, already percent-encoded, starting with <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary>Query parameters, not encoded, in order; a null value is a key without <c>=</c>.</summary>
    public List<KeyValuePair<string, string?>> Query { get; } = [];

    /// <summary>Headers (case-insensitive names).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The body bytes (empty when there is none).</summary>
    public byte[] Body { get; set; } = [];

    /// <summary>The resolved <c>endpoint.hostPrefix</c> of the operation (e.g. <c>foo.data.</c>), or null.</summary>
    public string? HostPrefix { get; set; }

    /// <summary>The path followed by the percent-encoded query string.</summary>
    public string PathAndQuery
    {
        get
        {
            if (Query.Count == 0) return Path;
            var sb = new StringBuilder(Path);
            sb.Append(Path.Contains('?', StringComparison.Ordinal) ? '&' : '?');
            for (var i = 0; i < Query.Count; i++)
            {
                if (i > 0) sb.Append('&');
                sb.Append(UriEncoding.Encode(Query[i].Key));
                if (Query[i].Value is { } v) sb.Append('=').Append(UriEncoding.Encode(v));
            }
            return sb.ToString();
        }
    }
}
