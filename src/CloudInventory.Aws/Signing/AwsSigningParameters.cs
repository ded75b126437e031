namespace CloudInventory.Aws.Signing;

/// <summary>What a SigV4 signature is scoped to, and how the request is canonicalised.</summary>
/// <param name="Region">The signing region, e.g. <c>us-east-1</c>.</param>
/// <param name="Service">The signing name of the service, e.g. <c>ec2</c>, <c>s3</c>.</param>
/// <param name="SignedAt">The signing time (written as <c>X-Amz-Date</c>).</param>
public sealed record AwsSigningParameters(string Region, string Service, DateTimeOffset SignedAt)
{
    /// <summary>
    /// S3-style canonicalisation: the (already encoded) path is used verbatim, without normalising
    /// dot segments or double slashes and without encoding it a second time; and the payload hash is
    /// sent as <c>X-Amz-Content-SHA256</c>. Defaults to true when <see cref="Service"/> is <c>s3</c>.
    /// </summary>
    public bool S3Canonicalization { get; init; } = string.Equals(Service, "s3", StringComparison.Ordinal);

    /// <summary>Whether the session token is part of the signed headers (true, the norm) or only added after signing.</summary>
    public bool SignSessionToken { get; init; } = true;
}
