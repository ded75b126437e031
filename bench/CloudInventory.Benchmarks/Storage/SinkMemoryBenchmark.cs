using System.Globalization;
using CloudInventory.Collection;
using CloudInventory.Storage;

namespace CloudInventory.Benchmarks.Storage;

/// <summary>
/// Resident memory of one <see cref="ParquetSink"/> as it writes many row groups of <c>aws_ec2_instances</c> rows
/// (140 leaf columns): whether memory grows with the row groups of a file. Prints RSS and GC committed bytes every
/// 50 row groups, then the peak. One run, no BenchmarkDotNet.
/// <code>dotnet run -c Release --project bench/CloudInventory.Benchmarks -- sink-memory [--groups 400] [--rows 2800]</code>
/// </summary>
internal static class SinkMemoryBenchmark
{
    public const string Command = "sink-memory";

    public static int Run(string[] args)
    {
        InventoryCollector.ReduceMemoryRetention(); // as the CLI does at start
        var table = CloudInventory.Catalog.TableCatalog.Default.Find("aws_ec2_instances")!;
        var groups = BenchArgs.Int(args, "--groups", 400);
        var rowsPerGroup = BenchArgs.Int(args, "--rows", 2800);
        var path = Path.Combine(Path.GetTempPath(), $"cloudinv-sink-memory-{Environment.ProcessId}.parquet");
        var rows = Enumerable.Range(0, 500).Select(i => Ec2InstanceRows.Row(table.Columns, i)).ToArray();
        try
        {
            using var sink = new ParquetSink(table, path, new ParquetSinkOptions { RowGroupRows = rowsPerGroup, RowGroupBytes = long.MaxValue / 4 });
            for (var g = 0; g < groups; g++)
            {
                for (var r = 0; r < rowsPerGroup; r++) sink.Append(rows[r % rows.Length]);
                if (g % 10 == 0) Print($"row group {g}: RSS {BenchArgs.RssBytes() / 1048576.0:F0} MiB, GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:F0} MiB, Parquet native {ParquetSharp.MemoryPool.JemallocMemoryPool().BytesAllocated / 1048576.0:F0} MiB, malloc in use {MallocInUse() / 1048576.0:F1} MiB");
            }
            sink.Complete();
            Print($"{groups} row groups of {rowsPerGroup} rows: RSS at end {BenchArgs.RssBytes() / 1048576.0:F0} MiB, peak {BenchArgs.PeakRssBytes() / 1048576.0:F0} MiB, file {new FileInfo(path).Length / 1e6:F1} MB, Parquet native peak {ParquetSharp.MemoryPool.JemallocMemoryPool().MaxMemory / 1048576.0:F0} MiB");
        }
        finally
        {
            File.Delete(path);
        }
        return 0;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern MallInfo2 mallinfo2();

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    // glibc's bytes in use (Parquet's metadata lives there); -1 where there is no mallinfo2.
    internal static long MallocInUse() => MallInfo(info => (long)(info.Uordblks + info.Hblkhd));

    // glibc's bytes taken from the system: its arenas (in use or free) and mapped blocks; -1 where there is no mallinfo2.
    internal static long MallocArenaBytes() => MallInfo(info => (long)(info.Arena + info.Hblkhd));

    private static long MallInfo(Func<MallInfo2, long> select)
    {
        try
        {
            return select(mallinfo2());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    private static void Print(FormattableString line) => Console.Out.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
