namespace CloudInventory.Azure;

/// <summary>Azure answered a call with an error (after any retries), in Azure's error shape when it had one.</summary>
public sealed class AzureApiException : Exception
{
    /// <summary>Creates an exception for an error answer.</summary>
    public AzureApiException(int status, string code, string message, string operation)
        : base($"{operation}: {code} (HTTP {status}): {message}")
    {
        Status = status;
        Code = code;
        Operation = operation;
    }

    /// <summary>Creates an exception for an answer that could not be used.</summary>
    public AzureApiException(string message, string operation, Exception? inner = null)
        : base($"{operation}: {message}", inner)
    {
        Code = "InvalidResponse";
        Operation = operation;
    }

    /// <summary>The HTTP status (0 when the answer was not an HTTP error).</summary>
    public int Status { get; }

    /// <summary>Azure's error code, e.g. <c>AuthorizationFailed</c>, <c>BadRequest</c>, <c>RateLimiting</c>.</summary>
    public string Code { get; }

    /// <summary>The call that failed, e.g. <c>ResourceGraph.Resources</c>.</summary>
    public string Operation { get; }

    /// <summary>
    /// Whether Azure could not serve the call (throttled or failing after every retry, no answer, an answer cut short):
    /// trying later may work, unlike a refusal or a bad request.
    /// </summary>
    public bool IsUnavailable => Status is 0 or 408 or 429 or >= 500;

    /// <summary>Whether the caller lacks permission (401/403).</summary>
    public bool IsAccessDenied => Status is 401 or 403;
}
