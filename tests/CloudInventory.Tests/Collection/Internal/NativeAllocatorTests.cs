using CloudInventory.Collection.Internal;

namespace CloudInventory.Tests.Collection.Internal;

/// <summary>The native allocators asked to give freed memory back (docs/benchmarks.md §2.2c, §9).</summary>
public sealed class NativeAllocatorTests
{
    [Fact]
    public void Parquets_jemalloc_is_configured_in_the_native_environment_and_glibc_trims_without_failing()
    {
        if (!OperatingSystem.IsLinux()) return; // setenv, jemalloc's variable and malloc_trim are checked where they exist.
        var before = NativeAllocator.Current(NativeAllocator.ParquetConfigVariable);
        Assert.True(NativeAllocator.PurgeParquetBuffersAtOnce());
        var after = NativeAllocator.Current(NativeAllocator.ParquetConfigVariable);
        // Set now, or kept as it was (an operator's value is never overwritten).
        Assert.Equal(before ?? "dirty_decay_ms:0,muzzy_decay_ms:0", after);
        Assert.True(NativeAllocator.PurgeParquetBuffersAtOnce());
        Assert.Equal(after, NativeAllocator.Current(NativeAllocator.ParquetConfigVariable));
        NativeAllocator.ReturnFreeMemory();
    }
}
