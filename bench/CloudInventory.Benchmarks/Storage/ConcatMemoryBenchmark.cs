using System.Diagnostics;
using System.Globalization;
using CloudInventory.Collection;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Benchmarks.Storage;

/// <summary>
/// Time and resident memory of <see cref="ParquetPartConcatenator"/> joining part files of <c>aws_ec2_instances</c>
/// rows (140 leaf columns) into one file. Writes the parts with <see cref="ParquetSink"/> first, then resets the
/// peak RSS (Linux <c>/proc/self/clear_refs</c>) so the peak printed is the concatenation's. One run, no BenchmarkDotNet.
/// <code>dotnet run -c Release --project bench/CloudInventory.Benchmarks -- parquet-concat [--parts 10] [--groups 36] [--rows 2800]</code>
/// </summary>
internal static class ConcatMemoryBenchmark
{
    public const string Command = "parquet-concat";

    public static int Run(string[] args)
    {
        InventoryCollector.ReduceMemoryRetention(); // as the CLI does at start
        var table = CloudInventory.Catalog.TableCatalog.Default.Find("aws_ec2_instances")!;
        var partCount = BenchArgs.Int(args, "--parts", 10);
        var groups = BenchArgs.Int(args, "--groups", 36);
        var rowsPerGroup = BenchArgs.Int(args, "--rows", 2800);
        var dir = Path.Combine(Path.GetTempPath(), $"cloudinv-concat-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var rows = Enumerable.Range(0, 500).Select(i => Ec2InstanceRows.Row(table.Columns, i)).ToArray();
        try
        {
            var parts = new List<string>();
            var write = Stopwatch.StartNew();
            for (var p = 0; p < partCount; p++)
            {
                var path = Path.Combine(dir, $"part-{p}.parquet");
                using var sink = new ParquetSink(table, path, new ParquetSinkOptions { RowGroupRows = rowsPerGroup, RowGroupBytes = long.MaxValue / 4 });
                for (var r = 0; r < groups * rowsPerGroup; r++) sink.Append(rows[r % rows.Length]);
                sink.Complete();
                parts.Add(path);
            }
            write.Stop();
            var partBytes = parts.Sum(p => new FileInfo(p).Length);
            Print($"wrote {partCount} parts of {groups} row groups of {rowsPerGroup} rows ({partBytes / 1e6:F1} MB) in {write.Elapsed.TotalSeconds:F1} s; peak RSS while writing {BenchArgs.PeakRssBytes() / 1048576.0:F0} MiB");

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var reset = ResetPeakRss();
            var before = BenchArgs.RssBytes();
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var output = Path.Combine(dir, "joined.parquet");
            var join = Stopwatch.StartNew();
            ParquetPartConcatenator.Concatenate(parts, output);
            join.Stop();
            Print($"footer of the joined file: {FooterLength(output) / 1048576.0:F1} MiB; footer of part 0: {FooterLength(parts[0]) / 1048576.0:F1} MiB");
            var peak = reset ? "peak during" : "peak of the process (could not reset)";
            Print($"joined into {new FileInfo(output).Length / 1e6:F1} MB in {join.Elapsed.TotalMilliseconds:F0} ms; RSS before {before / 1048576.0:F0} MiB, {peak} {BenchArgs.PeakRssBytes() / 1048576.0:F0} MiB; managed allocations during {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576.0:F1} MiB");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    private static int FooterLength(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> tail = stackalloc byte[8];
        file.Position = file.Length - 8;
        file.ReadExactly(tail);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(tail);
    }

    // Writing 5 to /proc/self/clear_refs resets VmHWM to the current RSS (Linux).
    private static bool ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Print(FormattableString line) => Console.Out.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
