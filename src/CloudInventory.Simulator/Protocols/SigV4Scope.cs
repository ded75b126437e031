namespace CloudInventory.Simulator.Protocols;

/// <summary>The credential scope of a SigV4 Authorization header: who signed, for which region and service.</summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="Date">The scope date (yyyyMMdd).</param>
/// <param name="Region">The region.</param>
/// <param name="Service">The signing name.</param>
/// <param name="SignedHeaders">The signed header names.</param>
/// <param name="Signature">The hex signature.</param>
public sealed record SigV4Scope(string AccessKeyId, string Date, string Region, string Service, string SignedHeaders, string Signature)
{
    /// <summary>Parses an <c>AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c> header; null when it is not one.</summary>
    public static SigV4Scope? Parse(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)) return null;
        string? credential = null, signed = null, signature = null;
        foreach (var part in authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) continue;
            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signed = value; break;
                case "Signature": signature = value; break;
            }
        }
        var scope = credential?.Split('/');
        if (scope is not { Length: 5 } || scope[4] != "aws4_request" || signed is null || signature is null) return null;
        return new SigV4Scope(scope[0], scope[1], scope[2], scope[3], signed, signature);
    }
}
