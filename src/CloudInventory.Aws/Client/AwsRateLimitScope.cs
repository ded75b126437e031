namespace CloudInventory.Aws.Client;

/// <summary>The scope AWS throttles a caller in: account, region and service.</summary>
/// <param name="AccountId">The account the client's credentials belong to, when the caller knows it; otherwise null.</param>
/// <param name="Region">The region requests are sent to (the signing region).</param>
/// <param name="Service">The service name, e.g. <c>ec2</c>.</param>
public sealed record AwsRateLimitScope(string? AccountId, string Region, string Service)
{
    /// <inheritdoc />
    public override string ToString() => $"{AccountId ?? "-"}/{Region}/{Service}";
}
