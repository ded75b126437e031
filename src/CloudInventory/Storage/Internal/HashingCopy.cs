using System.Buffers;
using System.Security.Cryptography;

namespace CloudInventory.Storage.Internal;

/// <summary>Copies or reads a stream while computing its SHA-256.</summary>
internal static class HashingCopy
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/>; returns the bytes copied and their SHA-256 (lowercase hex).</summary>
    public static async Task<(long Bytes, string Sha256)> CopyAsync(Stream source, Stream? target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Pooled: a run publishes one file per table, and a new 1 MiB buffer each (large-object heap) cost a run of all
        // curated tables ~280 MiB of allocations and gen2 collections at its end.
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                if (target is not null) await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }
            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The size and SHA-256 of a file.</summary>
    public static async Task<(long Bytes, string Sha256)> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await CopyAsync(stream, null, cancellationToken).ConfigureAwait(false);
        }
    }
}
