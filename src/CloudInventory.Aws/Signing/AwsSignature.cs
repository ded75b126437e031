namespace CloudInventory.Aws.Signing;

/// <summary>The result of signing a request with AWS Signature Version 4, with its intermediate steps.</summary>
/// <param name="CanonicalRequest">The canonical request (task 1 of SigV4).</param>
/// <param name="StringToSign">The string to sign (task 2).</param>
/// <param name="Signature">The hex signature (task 3).</param>
/// <param name="SignedHeaders">The signed header names, lower-case, <c>;</c>-separated.</param>
/// <param name="Headers">
/// The headers the request must carry in addition to its own: <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c>
/// (with temporary credentials), <c>X-Amz-Content-SHA256</c> (S3) and <c>Authorization</c>.
/// </param>
public sealed record AwsSignature(
    string CanonicalRequest, string StringToSign, string Signature, string SignedHeaders,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The <c>Authorization</c> header value.</summary>
    public string Authorization => Headers.First(h => h.Key == "Authorization").Value;

    /// <summary>Shows the signed headers only: never the credentials or the token.</summary>
    public override string ToString() => $"SigV4 SignedHeaders={SignedHeaders}";
}
