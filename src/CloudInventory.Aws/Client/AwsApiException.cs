namespace CloudInventory.Aws.Client;

/// <summary>
/// An AWS call failed: the service answered with an error, or it could not be reached after all
/// attempts. The message is one line: <c>ec2 DescribeInstances: HTTP 403 UnauthorizedOperation: ...</c>,
/// or for failures without a response <c>ec2 DescribeInstances: Timeout: no response within 60 s (after 5 attempts)</c>.
/// </summary>
public sealed class AwsApiException : Exception
{
    private static readonly HashSet<string> s_accessDenied = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "UnauthorizedException",
        "AuthorizationError", "AuthorizationErrorException", "Forbidden", "ForbiddenException", "OptInRequired",
        "AuthFailure", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
        "UnrecognizedClientException", "MissingAuthenticationToken", "IncompleteSignature", "InvalidAccessKeyId",
    };

    /// <summary>Creates the exception for an error response or a transport failure.</summary>
    public AwsApiException(string service, string operation, int? statusCode, string errorCode, string errorMessage,
        string? requestId, int attempts, bool isThrottling, Exception? inner = null)
        : base(Format(service, operation, statusCode, errorCode, errorMessage), inner)
    {
        Service = service;
        Operation = operation;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
        Attempts = attempts;
        IsThrottling = isThrottling;
    }

    /// <summary>The service name, e.g. <c>ec2</c>.</summary>
    public string Service { get; }

    /// <summary>The operation name, e.g. <c>DescribeInstances</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status of the last response, or null when no response came (timeouts, connection failures).</summary>
    public int? StatusCode { get; }

    /// <summary>The AWS error code (e.g. <c>ThrottlingException</c>), or a transport failure kind.</summary>
    public string ErrorCode { get; }

    /// <summary>The error message from the service (or the transport).</summary>
    public string ErrorMessage { get; }

    /// <summary>The request id of the failed response, if any.</summary>
    public string? RequestId { get; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }

    /// <summary>True when the last failure was throttling (retries were exhausted).</summary>
    public bool IsThrottling { get; }

    /// <summary>True when the caller lacks permission (or its credentials were refused).</summary>
    public bool IsAccessDenied => s_accessDenied.Contains(ErrorCode) || (StatusCode == 403 && ErrorCode.Length == 0);

    private static string Format(string service, string operation, int? statusCode, string errorCode, string errorMessage)
    {
        var parts = new List<string>(2);
        if (statusCode is { } s) parts.Add($"HTTP {s}");
        if (!string.IsNullOrEmpty(errorCode)) parts.Add(errorCode);
        var head = parts.Count == 0 ? "error" : string.Join(' ', parts);
        var message = string.IsNullOrWhiteSpace(errorMessage) ? "" : ": " + OneLine(errorMessage);
        return $"{service} {operation}: {head}{message}";
    }

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 500 ? line[..500] + "…" : line;
    }
}
