namespace CloudInventory.Simulator.Protocols;

/// <summary>An HTTP request as the simulator received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawPath">The path, still percent-encoded.</param>
/// <param name="Query">Decoded query parameters in order (a key without <c>=</c> has an empty value).</param>
/// <param name="Headers">Headers by case-insensitive name.</param>
/// <param name="Body">The body bytes.</param>
public sealed record SimulatedRequest(
    string Method,
    string RawPath,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    /// <summary>Splits and decodes a raw query string.</summary>
    public static List<KeyValuePair<string, string>> ParseQueryString(string query)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            result.Add(new(Uri.UnescapeDataString(key.Replace('+', ' ')), Uri.UnescapeDataString(value.Replace('+', ' '))));
        }
        return result;
    }
}
