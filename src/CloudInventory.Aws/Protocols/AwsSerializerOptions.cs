namespace CloudInventory.Aws.Protocols;

/// <summary>Options of <see cref="AwsRequestSerializer"/>.</summary>
public sealed class AwsSerializerOptions
{
    /// <summary>The options used when none are given: fresh random idempotency tokens.</summary>
    public static AwsSerializerOptions Default { get; } = new();

    /// <summary>
    /// Makes the value of an <c>idempotencyToken</c> member the caller left out (default: a new
    /// random GUID). Conformance tests pin it to a fixed value.
    /// </summary>
    public Func<string> IdempotencyTokenGenerator { get; init; } = static () => Guid.NewGuid().ToString();
}
