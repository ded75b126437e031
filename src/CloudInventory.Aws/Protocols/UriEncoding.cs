using System.Text;

namespace CloudInventory.Aws.Protocols;

/// <summary>RFC 3986 percent-encoding as AWS uses it: only A-Z a-z 0-9 - _ . ~ stay as they are.</summary>
public static class UriEncoding
{
    /// <summary>Encodes every byte of the UTF-8 form except unreserved characters (and <c>/</c> when <paramref name="keepSlash"/>).</summary>
    public static string Encode(string value, bool keepSlash = false)
    {
        var needs = false;
        foreach (var c in value)
        {
            if (!IsUnreserved(c) && !(keepSlash && c == '/')) { needs = true; break; }
        }
        if (!needs) return value;
        var sb = new StringBuilder(value.Length * 3);
        Span<byte> buf = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsUnreserved(c) || (keepSlash && c == '/')) { sb.Append(c); continue; }
            int n;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length)
            {
                n = Encoding.UTF8.GetBytes(value.AsSpan(i, 2), buf);
                i++;
            }
            else
            {
                n = Encoding.UTF8.GetBytes(value.AsSpan(i, 1), buf);
            }
            for (var b = 0; b < n; b++) sb.Append('%').Append(buf[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>True for A-Z a-z 0-9 - _ . ~.</summary>
    public static bool IsUnreserved(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~';
}
