namespace CloudInventory.Collection.Internal;

/// <summary>Connecting a provider's session: entered before it is handed out, disposed when entering fails.</summary>
internal static class CloudSessions
{
    /// <summary>Enters <paramref name="session"/> with <paramref name="enterAsync"/>; on failure disposes it and rethrows.</summary>
    public static async Task<ICloudSession> EnterAsync<TSession>(TSession session, Func<TSession, CancellationToken, Task> enterAsync, CancellationToken cancellationToken)
        where TSession : ICloudSession
    {
        try
        {
            await enterAsync(session, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
