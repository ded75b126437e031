using CloudInventory.Collection.Internal;

namespace CloudInventory.Collection.Azure;

/// <summary>
/// The Azure provider: authenticates with Azure.Identity (DefaultAzureCredential unless a credential is given), lists
/// the subscriptions the credential sees (or a management group's), keeps the Enabled ones and records the others as
/// skipped; its units scan Resource Graph per subscription.
/// </summary>
internal sealed class AzureCloudProvider : ICloudProvider
{
    public async Task<ICloudSession> ConnectAsync(CollectOptions options, RunContext context, CancellationToken cancellationToken = default)
    {
        var session = new AzureCloudSession(options, context);
        try
        {
            await session.EnterAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
