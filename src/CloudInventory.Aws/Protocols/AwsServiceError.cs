namespace CloudInventory.Aws.Protocols;

/// <summary>An error response as parsed from any protocol.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Code">The error code (e.g. <c>ThrottlingException</c>, <c>AccessDenied</c>), without namespace prefixes.</param>
/// <param name="Message">The error message, or empty.</param>
/// <param name="RequestId">The request id, or null.</param>
public sealed record AwsServiceError(int StatusCode, string Code, string Message, string? RequestId);
