using System.Runtime.CompilerServices;
using System.Text;

namespace CloudInventory.Storage.Internal;

/// <summary>Manifest reading, writing and listing in terms of a store's object operations; shared by every store.</summary>
internal static class RunManifestStorage
{
    public static async Task<PublishedFile> WriteAsync(IInventoryStore store, RunManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var file in manifest.Files)
        {
            if (!await store.ExistsAsync(file.Path, cancellationToken).ConfigureAwait(false))
            {
                throw new InventoryStoreException($"the manifest of run {manifest.RunId} lists {file.Path}, which is not published in {store.Location}; data files must be published before the manifest");
            }
        }
        return await store.PublishAsync(manifest.Path, Encoding.UTF8.GetBytes(manifest.ToJson()), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<RunManifest> ReadAsync(IInventoryStore store, string path, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return Parse(store, path, await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>A manifest from its JSON, read from <paramref name="path"/> of <paramref name="store"/> (named in the error).</summary>
    public static RunManifest Parse(IInventoryStore store, string path, string json)
    {
        try
        {
            return RunManifest.FromJson(json);
        }
        catch (InventoryStoreException ex)
        {
            throw new InventoryStoreException($"{path} in {store.Location}: {ex.Message}", ex) { NewerFormat = ex.NewerFormat };
        }
    }

    public static async IAsyncEnumerable<RunManifest> ListAsync(IInventoryStore store, DateOnly from, DateOnly to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var paths = new List<(DateOnly Date, string Path)>();
        await foreach (var path in store.ListAsync(StoreLayout.ManifestsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!path.EndsWith(".json", StringComparison.Ordinal)) continue;
            if (StoreLayout.ReportDateOf(path) is { } date && date >= from && date <= to) paths.Add((date, path));
        }
        foreach (var (_, path) in paths.OrderBy(p => p.Date).ThenBy(p => p.Path, StringComparer.Ordinal))
        {
            yield return await ReadAsync(store, path, cancellationToken).ConfigureAwait(false);
        }
    }
}
