namespace CloudInventory.Aws.Models;

/// <summary>
/// How an operation pages, from the model's <c>.paginators.json</c>. Tokens and result keys are
/// path expressions over the output (<c>DistributionList.NextMarker</c>, <c>Contents[-1].Key</c>,
/// <c>NextMarker || Contents[-1].Key</c>).
/// </summary>
/// <param name="InputTokens">Input members that carry the tokens into the next request.</param>
/// <param name="OutputTokens">Output expressions that give the next tokens, one per input token.</param>
/// <param name="ResultKeys">Output expressions of the paged results.</param>
/// <param name="LimitKey">The input member that sets the page size, if any.</param>
/// <param name="MoreResults">An output expression that says whether more pages follow, if any.</param>
/// <param name="NonAggregateKeys">Output expressions that are not aggregated across pages.</param>
public sealed record Paginator(
    IReadOnlyList<string> InputTokens,
    IReadOnlyList<string> OutputTokens,
    IReadOnlyList<string> ResultKeys,
    string? LimitKey,
    string? MoreResults,
    IReadOnlyList<string> NonAggregateKeys)
{
    /// <summary>True when the operation really pages (has input and output tokens).</summary>
    public bool IsPaged => InputTokens.Count > 0 && OutputTokens.Count > 0;
}
