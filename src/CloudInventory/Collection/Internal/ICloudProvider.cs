namespace CloudInventory.Collection.Internal;

/// <summary>
/// The seam between the provider-neutral run (plan → schedule → fetch → write) and one cloud. A provider turns the
/// run's options into a connected <see cref="ICloudSession"/>: it checks credentials, resolves its scope (AWS accounts
/// and regions; Azure subscriptions) and records what it had to skip. Storage, query, views and generation never see a
/// provider: they see tables and the rows a session writes.
/// </summary>
internal interface ICloudProvider
{
    /// <summary>Connects and resolves the scope.</summary>
    /// <exception cref="CollectionException">The run cannot start (credentials, unknown regions, …); nothing was written.</exception>
    Task<ICloudSession> ConnectAsync(CollectOptions options, RunContext context, CancellationToken cancellationToken = default);
}
