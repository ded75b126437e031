namespace CloudInventory.Aws.Client;

/// <summary>
/// The memory response bodies are read into, shared by the clients that use it: a byte budget and a small
/// pool of reusable buffers. A body is read whole before it is parsed (so a cut-off body is retried, never
/// half-parsed); the budget bounds how many bytes of bodies all clients hold at once, so memory does not grow
/// with the number of concurrent calls: a call whose body does not fit waits until others have been parsed.
/// A body larger than the whole budget is read alone. Buffers are reused instead of reallocated, and the
/// pool keeps at most <see cref="BudgetBytes"/> of them.
/// </summary>
public sealed class AwsResponseBuffers
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Ready)> _waiters = new();
    private readonly List<byte[]> _free = [];
    private long _available;
    private long _pooledBytes;

    private readonly Func<int, byte[]> _allocate;

    /// <summary>Buffers with a budget of <paramref name="budgetBytes"/> bytes.</summary>
    public AwsResponseBuffers(long budgetBytes)
        : this(budgetBytes, size => GC.AllocateUninitializedArray<byte>(size)) { }

    // Tests pass an allocator that fails.
    internal AwsResponseBuffers(long budgetBytes, Func<int, byte[]> allocate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetBytes, 64 * 1024);
        BudgetBytes = budgetBytes;
        _available = budgetBytes;
        _allocate = allocate;
    }

    /// <summary>The buffers clients share unless given others: a 16 MiB budget.</summary>
    public static AwsResponseBuffers Shared { get; } = new(16L * 1024 * 1024);

    /// <summary>The most bytes of bodies held at once (one larger body may exceed it, alone).</summary>
    public long BudgetBytes { get; }

    /// <summary>The budget not currently held.</summary>
    public long AvailableBytes
    {
        get
        {
            lock (_lock) return _available;
        }
    }

    /// <summary>
    /// Waits until <paramref name="bytes"/> of the budget are free (all of it, for a body larger than the
    /// budget) and takes them, with a buffer of at least that size; dispose the lease to give both back.
    /// </summary>
    public async ValueTask<Lease> RentAsync(long bytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var charge = Math.Min(Math.Max(bytes, 1), BudgetBytes);
        LinkedListNode<(long, TaskCompletionSource)>? node = null;
        lock (_lock)
        {
            // First come, first served: a small body does not overtake a waiting large one.
            if (_waiters.Count == 0 && _available >= charge) _available -= charge;
            else node = _waiters.AddLast((charge, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
        if (node is not null)
        {
            try
            {
                await node.Value.Item2.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    if (node.List is not null)
                    {
                        _waiters.Remove(node);
                        GrantWaiters();
                        throw;
                    }
                }
                // Granted just as it was cancelled: give the charge back.
                Release(charge, null);
                throw;
            }
        }
        try
        {
            return new Lease(this, charge, TakeBuffer(bytes));
        }
        catch
        {
            // No buffer (out of memory at the GC's heap limit): the charge goes back, or every later body would wait
            // for budget that nobody holds and the run would stall.
            Release(charge, null);
            throw;
        }
    }

    private byte[] TakeBuffer(long bytes)
    {
        var size = (int)Math.Min(Array.MaxLength, Math.Max(bytes, 4096));
        lock (_lock)
        {
            // The smallest pooled buffer that fits.
            var best = -1;
            for (var i = 0; i < _free.Count; i++)
            {
                if (_free[i].Length >= size && (best < 0 || _free[i].Length < _free[best].Length)) best = i;
            }
            if (best >= 0)
            {
                var buffer = _free[best];
                _free.RemoveAt(best);
                _pooledBytes -= buffer.Length;
                return buffer;
            }
        }
        // Rounded up so that slightly different sizes reuse the same buffers: to a power of two up to 1 MiB, then to whole
        // MiB (a power of two would make a 8.1 MiB page a 16 MiB buffer, and pages of 6-9 MiB are common for EC2).
        const int Step = 1 << 20;
        var rounded = size <= Step
            ? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size)
            : (int)Math.Min(Array.MaxLength, ((long)size + Step - 1) / Step * Step);
        return _allocate(rounded);
    }

    private void Release(long charge, byte[]? buffer)
    {
        lock (_lock)
        {
            _available += charge;
            if (buffer is not null)
            {
                _free.Add(buffer);
                _pooledBytes += buffer.Length;
                // Keep at most the budget's worth of buffers: drop the smallest first. A small body's buffer must not
                // push out a large one, which the next large page would allocate again on the large-object heap.
                while (_pooledBytes > BudgetBytes && _free.Count > 0)
                {
                    var smallest = 0;
                    for (var i = 1; i < _free.Count; i++) if (_free[i].Length < _free[smallest].Length) smallest = i;
                    _pooledBytes -= _free[smallest].Length;
                    _free.RemoveAt(smallest);
                }
            }
            GrantWaiters();
        }
    }

    private void GrantWaiters()
    {
        while (_waiters.First is { } first && _available >= first.Value.Bytes)
        {
            _available -= first.Value.Bytes;
            _waiters.RemoveFirst();
            first.Value.Ready.TrySetResult();
        }
    }

    /// <summary>A share of the budget with its buffer; disposing it gives both back.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly AwsResponseBuffers _owner;
        private readonly long _charge;
        private byte[]? _buffer;

        internal Lease(AwsResponseBuffers owner, long charge, byte[] buffer)
        {
            _owner = owner;
            _charge = charge;
            _buffer = buffer;
        }

        /// <summary>The buffer (at least the size asked for; replaced by <see cref="Grow"/>).</summary>
        public byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(Lease));

        /// <summary>Replaces the buffer by a larger one holding the first <paramref name="keep"/> bytes (for a body of unknown length).</summary>
        public void Grow(int keep)
        {
            var old = Buffer;
            var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, (long)old.Length * 2));
            old.AsSpan(0, keep).CopyTo(larger);
            _buffer = larger;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_buffer is null) return;
            var buffer = _buffer;
            _buffer = null;
            _owner.Release(_charge, buffer);
        }
    }
}
