namespace CloudInventory.Aws.Protocols;

/// <summary>An HTTP response handed to a protocol reader: status, headers and the whole body of one page.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Headers">Headers by case-insensitive name; repeated headers joined with <c>", "</c>.</param>
/// <param name="Body">The body bytes.</param>
public sealed record AwsHttpResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>Makes a response, copying headers into a case-insensitive dictionary.</summary>
    public static AwsHttpResponse Create(int statusCode, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
    {
        var dict = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in headers) dict[k] = dict.TryGetValue(k, out var existing) ? existing + ", " + v : v;
        return new AwsHttpResponse(statusCode, dict, body);
    }
}
