using System.Runtime.InteropServices;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Asks the C allocator (glibc's malloc, used by the Parquet writer's native code) to give freed memory
/// back instead of keeping it: at most two arenas, and large blocks (≥ 128 KiB) mapped and unmapped
/// rather than carved from arenas. Without it, glibc's per-thread arenas and its rising mmap threshold kept
/// ~110 MiB of freed Parquet buffers resident in the collection memory benchmark (docs/benchmarks.md §2.2).
/// Applied once per process; a no-op where the call does not exist (not Linux, or a libc without mallopt).
/// </summary>
internal static class NativeAllocator
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int ArenaMax = -8; // M_ARENA_MAX
    private static int s_applied;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    public static void PreferReturningMemory()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_applied, 1) == 1) return;
        try
        {
            MallOpt(ArenaMax, 2);
            MallOpt(MmapThreshold, 128 * 1024);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another C library: its own defaults apply.
        }
    }
}
