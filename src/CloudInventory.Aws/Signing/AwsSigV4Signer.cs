using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Aws.Signing;

/// <summary>
/// Signs requests with AWS Signature Version 4 (header-based, <c>AWS4-HMAC-SHA256</c>).
/// </summary>
/// <remarks>
/// The key derivation, HMAC and hashing come from AWSSDK.Core (<see cref="AWS4Signer.ComposeSigningKey"/>,
/// <see cref="AWS4Signer.ComputeKeyedHash(SigningAlgorithm, byte[], string)"/>, <see cref="AWS4Signer.ComputeHash(byte[])"/>),
/// and credentials are AWSSDK.Core's <see cref="ImmutableCredentials"/>. The canonical request is built here:
/// the SDK's request signer only takes its own <c>IRequest</c> pipeline object (built by its per-service
/// marshallers, with a client config), and its reachable canonicalisation primitives fail 10 of the 34 cases
/// of the AWS SigV4 test suite: they neither remove dot segments nor collapse double slashes in the path,
/// leave <c>$</c> unencoded in paths, sort query parameters by their unencoded names, and keep repeated
/// query keys in request order instead of sorting their values (see <c>SigV4ConformanceTests</c>).
/// </remarks>
public static class AwsSigV4Signer
{
    /// <summary>The signing algorithm name.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private static readonly HashSet<string> s_unsignedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "user-agent", "x-amzn-trace-id", "expect", "content-length", "transfer-encoding", "connection",
    };

    /// <summary>
    /// Signs <paramref name="request"/> for the endpoint <paramref name="authority"/> (host, and port when not the
    /// default one): removes any earlier signature and adds the signing headers to <see cref="AwsHttpRequest.Headers"/>.
    /// </summary>
    public static AwsSignature SignRequest(AwsHttpRequest request, string authority, ImmutableCredentials credentials, AwsSigningParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var name in (string[])["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"]) request.Headers.Remove(name);
        var signature = Sign(request.Method, authority, request.Path, request.Query, request.Headers, request.Body, credentials, parameters);
        foreach (var (name, value) in signature.Headers) request.Headers[name] = value;
        return signature;
    }

    /// <summary>
    /// Signs a request given by its parts. <paramref name="path"/> is the path as sent (for S3, already
    /// percent-encoded; otherwise it is normalised and encoded once more, as SigV4 specifies);
    /// <paramref name="query"/> holds unencoded pairs; <paramref name="headers"/> may repeat a name. A
    /// <c>Host</c> header is taken from <paramref name="authority"/> unless given; <c>X-Amz-Date</c> is
    /// always set from <see cref="AwsSigningParameters.SignedAt"/>.
    /// </summary>
    public static AwsSignature Sign(
        string method, string authority, string path,
        IEnumerable<KeyValuePair<string, string?>> query, IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body, ImmutableCredentials credentials, AwsSigningParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(parameters);
        var utc = parameters.SignedAt.UtcDateTime;
        var amzDate = utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var payloadHash = Convert.ToHexStringLower(AWS4Signer.ComputeHash(body.ToArray()));

        var added = new List<KeyValuePair<string, string>> { new("X-Amz-Date", amzDate) };
        if (parameters.S3Canonicalization) added.Add(new("X-Amz-Content-SHA256", payloadHash));
        var token = credentials.UseToken ? credentials.Token : null;
        if (token is not null && parameters.SignSessionToken) added.Add(new("X-Amz-Security-Token", token));

        // Header names to their values in order; repeated names join with commas.
        var canonicalHeaders = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void AddHeader(string name, string value)
        {
            var key = name.ToLowerInvariant();
            if (s_unsignedHeaders.Contains(key)) return;
            if (!canonicalHeaders.TryGetValue(key, out var values)) canonicalHeaders[key] = values = [];
            values.Add(CanonicalHeaderValue(value));
        }
        var hasHost = false;
        foreach (var (name, value) in headers)
        {
            if (name.Equals("x-amz-date", StringComparison.OrdinalIgnoreCase)) continue;
            if (name.Equals("host", StringComparison.OrdinalIgnoreCase)) hasHost = true;
            AddHeader(name, value);
        }
        if (!hasHost) AddHeader("host", authority);
        foreach (var (name, value) in added) AddHeader(name, value);

        var signedHeaders = string.Join(';', canonicalHeaders.Keys);
        var creq = new StringBuilder();
        creq.Append(method.ToUpperInvariant()).Append('\n');
        creq.Append(parameters.S3Canonicalization ? (path.Length == 0 ? "/" : path) : CanonicalPath(path)).Append('\n');
        creq.Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, values) in canonicalHeaders) creq.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        creq.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        var canonicalRequest = creq.ToString();

        var scope = $"{date}/{parameters.Region}/{parameters.Service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(AWS4Signer.ComputeHash(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = AWS4Signer.ComposeSigningKey(credentials.SecretKey, parameters.Region, date, parameters.Service);
        var signature = Convert.ToHexStringLower(AWS4Signer.ComputeKeyedHash(SigningAlgorithm.HmacSHA256, key, stringToSign));

        if (token is not null && !parameters.SignSessionToken) added.Add(new("X-Amz-Security-Token", token));
        added.Add(new("Authorization", $"{Algorithm} Credential={credentials.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}"));
        return new AwsSignature(canonicalRequest, stringToSign, signature, signedHeaders, added);
    }

    /// <summary>Trims a header value and collapses each run of whitespace (folded lines included) to one space.</summary>
    internal static string CanonicalHeaderValue(string value)
    {
        var sb = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Removes <c>.</c> and <c>..</c> segments and empty segments, then percent-encodes each segment.</summary>
    internal static string CanonicalPath(string path)
    {
        if (path.Length == 0) return "/";
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(UriEncoding.Encode(segment));
        }
        var sb = new StringBuilder("/").AppendJoin('/', segments);
        if (segments.Count > 0 && path.EndsWith('/')) sb.Append('/');
        return sb.ToString();
    }

    /// <summary>Encodes each name and value, then sorts by encoded name and value.</summary>
    internal static string CanonicalQuery(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var pairs = query.Select(p => (Key: UriEncoding.Encode(p.Key), Value: UriEncoding.Encode(p.Value ?? "")))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }
}
