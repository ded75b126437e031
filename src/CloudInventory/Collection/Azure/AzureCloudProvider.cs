using CloudInventory.Collection.Internal;

namespace CloudInventory.Collection.Azure;

/// <summary>
/// The Azure provider: authenticates with Azure.Identity (DefaultAzureCredential unless a credential is given), lists
/// the subscriptions the credential sees (or a management group's), keeps the Enabled ones and records the others as
/// skipped; its units scan Resource Graph per subscription.
/// </summary>
internal sealed class AzureCloudProvider : ICloudProvider
{
    public Task<ICloudSession> ConnectAsync(CollectOptions options, RunContext context, CancellationToken cancellationToken = default) =>
        CloudSessions.EnterAsync(new AzureCloudSession(options, context), (session, token) => session.EnterAsync(token), cancellationToken);
}
