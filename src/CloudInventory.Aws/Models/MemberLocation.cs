namespace CloudInventory.Aws.Models;

/// <summary>Where a member travels in an HTTP message (the model's <c>location</c> trait).</summary>
public enum MemberLocation
{
    /// <summary>In the body (the default).</summary>
    Body,
    /// <summary>A label of the request URI.</summary>
    Uri,
    /// <summary>A query-string parameter.</summary>
    QueryString,
    /// <summary>One HTTP header.</summary>
    Header,
    /// <summary>A map of headers sharing a prefix.</summary>
    Headers,
    /// <summary>The HTTP status code of the response.</summary>
    StatusCode,
}
