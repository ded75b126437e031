using System.Text.Json.Nodes;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Aws.Client;

/// <summary>One successful response (one page of a paginated operation), after its output went to the visitor.</summary>
/// <param name="Number">The page number, from 1.</param>
/// <param name="Visitor">The visitor that received the page's output.</param>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="RequestId">The request id AWS returned, if any.</param>
/// <param name="Attempts">How many attempts the page took.</param>
/// <param name="Region">The region the page came from (a bucket's own region after an S3 redirect).</param>
/// <param name="NextTokens">The input tokens of the next page (input member to value), or null on the last page.</param>
public sealed record AwsPage(
    int Number, IShapeVisitor Visitor, int StatusCode, string? RequestId, int Attempts, string Region, JsonObject? NextTokens);
