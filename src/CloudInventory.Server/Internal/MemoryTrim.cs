using Microsoft.AspNetCore.Http;

namespace CloudInventory.Server.Internal;

/// <summary>
/// Gives memory back after a request that allocated much (a cold diff or churn reads 100k-row snapshots; the first request
/// that needs a table loads the catalog): once its response is sent, a compacting full GC returns the freed heap to the
/// operating system, at most once every few seconds. The garbage would otherwise stay committed (the server GC sizes its
/// heaps from the peak), and warm requests allocate little, so they never pay for it.
/// </summary>
internal sealed class MemoryTrim(long thresholdBytes)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(5);
    private long _last = long.MinValue;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var before = GC.GetTotalAllocatedBytes();
        context.Response.OnCompleted(() =>
        {
            if (GC.GetTotalAllocatedBytes() - before >= thresholdBytes) Trim();
            return Task.CompletedTask;
        });
        return next(context);
    }

    private void Trim()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _last);
        if (now - last < MinInterval.TotalMilliseconds || Interlocked.CompareExchange(ref _last, now, last) != last) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
