using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Protocols;
using CloudInventory.Collection.Internal;

namespace CloudInventory.Collection.Aws;

/// <summary>
/// The AWS provider: checks the credentials (STS GetCallerIdentity), resolves the accounts (explicit, the caller's,
/// or the organisation's through Organizations with OU filters), enters each account (AssumeRole) and finds its
/// enabled regions. An account that cannot be entered is recorded and skipped.
/// </summary>
internal sealed class AwsCloudProvider : ICloudProvider
{
    public Task<ICloudSession> ConnectAsync(CollectOptions options, RunContext context, CancellationToken cancellationToken = default) =>
        CloudSessions.EnterAsync(new AwsCloudSession(options, context), (session, token) => session.EnterAsync(token), cancellationToken);

    internal static async Task<JsonObject?> CallAsync(AwsClient client, string service, string operation, JsonObject? input, CancellationToken cancellationToken)
    {
        var tree = new ValueTreeBuilder();
        await client.CallAsync(service, operation, input, tree, cancellationToken).ConfigureAwait(false);
        return tree.Root;
    }

    internal static async IAsyncEnumerable<JsonObject?> PagesAsync(AwsClient client, string service, string operation, JsonObject? input,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in client.PaginateAsync(service, operation, input, () => new ValueTreeBuilder(), cancellationToken).ConfigureAwait(false))
        {
            yield return ((ValueTreeBuilder)page.Visitor).Root;
        }
    }

    internal static string DidYouMean(string? near) => near is null ? "" : $" (did you mean '{near}'?)";
}
