using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;
using CloudInventory.Aws.Signing;

namespace CloudInventory.Simulator.Protocols;

/// <summary>
/// Verifies a request's SigV4 signature the way AWS does: rebuilds the canonical request from exactly
/// the headers the client says it signed, and compares signatures in constant time.
/// </summary>
internal static class SignatureCheck
{
    /// <summary>Null when the signature is right, else AWS's error message.</summary>
    public static string? Verify(SimulatedRequest request, SigV4Scope scope, string secretKey)
    {
        if (!request.Headers.TryGetValue("X-Amz-Date", out var amzDate)
            || !DateTime.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
        {
            return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
        }
        if (!amzDate.StartsWith(scope.Date, StringComparison.Ordinal))
        {
            return $"Credential should be scoped to a valid date, not '{scope.Date}' (request date {amzDate[..8]}).";
        }
        var s3 = scope.Service == "s3";
        var creq = new StringBuilder();
        creq.Append(request.Method.ToUpperInvariant()).Append('\n');
        creq.Append(s3 ? (request.RawPath.Length == 0 ? "/" : request.RawPath) : AwsSigV4Signer.CanonicalPath(request.RawPath)).Append('\n');
        creq.Append(AwsSigV4Signer.CanonicalQuery(request.Query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value)))).Append('\n');
        foreach (var name in scope.SignedHeaders.Split(';'))
        {
            var value = request.Headers.TryGetValue(name, out var v) ? v : "";
            creq.Append(name).Append(':').Append(AwsSigV4Signer.CanonicalHeaderValue(value)).Append('\n');
        }
        var payload = request.Headers.TryGetValue("X-Amz-Content-SHA256", out var declared) && declared.Length > 0
            ? declared
            : Convert.ToHexStringLower(SHA256.HashData(request.Body));
        creq.Append('\n').Append(scope.SignedHeaders).Append('\n').Append(payload);
        var credentialScope = $"{scope.Date}/{scope.Region}/{scope.Service}/aws4_request";
        var stringToSign = $"{AwsSigV4Signer.Algorithm}\n{amzDate}\n{credentialScope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(creq.ToString())))}";
        var key = AWS4Signer.ComposeSigningKey(secretKey, scope.Region, scope.Date, scope.Service);
        var expected = Convert.ToHexStringLower(AWS4Signer.ComputeKeyedHash(Amazon.Runtime.SigningAlgorithm.HmacSHA256, key, stringToSign));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(scope.Signature))
            ? null
            : "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    }
}
