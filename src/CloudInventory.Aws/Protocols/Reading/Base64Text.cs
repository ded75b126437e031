namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>Decodes base64 text (whitespace allowed) into an array of exactly the decoded size.</summary>
internal static class Base64Text
{
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        var count = 0;
        var padding = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            count++;
            if (c == '=') padding++;
        }
        if (count == 0)
        {
            bytes = [];
            return true;
        }
        if (count % 4 != 0 || padding > 2)
        {
            bytes = [];
            return false;
        }
        bytes = new byte[count / 4 * 3 - padding];
        return Convert.TryFromBase64Chars(text, bytes, out var written) && written == bytes.Length;
    }
}
