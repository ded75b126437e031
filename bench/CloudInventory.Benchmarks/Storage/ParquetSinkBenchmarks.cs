using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using CloudInventory.Catalog;
using CloudInventory.Storage;

namespace CloudInventory.Benchmarks.Storage;

/// <summary>
/// 100,000 EC2-instance-like rows (the <c>aws_ec2_instances</c> schema: nested structs, lists of
/// structs, tag maps) appended through <see cref="TableRowBuffer"/>, and written through
/// <see cref="ParquetSink"/> to a zstd Parquet file. Results are per row (OperationsPerInvoke):
/// rows/s = 1 / mean; allocated bytes per row. The rows are built beforehand (1,000 distinct rows
/// cycled), as the protocol reader would hand them over, so only storage is measured.
/// </summary>
[MemoryDiagnoser]
public class ParquetSinkBenchmarks
{
    private const int Rows = 100_000;
    private const int DistinctRows = 1_000;
    private Table _table = null!;
    private JsonNode?[][] _rows = null!;
    private string _directory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _table = TableCatalog.Default.Find("aws_ec2_instances") ?? throw new InvalidOperationException("aws_ec2_instances is not in the catalog");
        _rows = Enumerable.Range(0, DistinctRows).Select(i => Ec2InstanceRows.Row(_table.Columns, i)).ToArray();
        _directory = Path.Combine(Path.GetTempPath(), "cloudinv-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public long AppendToRowBuffer()
    {
        var buffer = new TableRowBuffer(_table);
        long flushed = 0;
        for (var i = 0; i < Rows; i++)
        {
            buffer.Append(_rows[i % DistinctRows]);
            if (buffer.RowCount == ParquetSinkOptions.Default.RowGroupRows)
            {
                using var batch = buffer.Flush();
                flushed += batch.Length;
            }
        }
        using var last = buffer.Flush();
        return flushed + last.Length;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public long WriteParquet()
    {
        var path = Path.Combine(_directory, "instances.parquet");
        using var sink = new ParquetSink(_table, path);
        for (var i = 0; i < Rows; i++) sink.Append(_rows[i % DistinctRows]);
        sink.Complete();
        return new FileInfo(path).Length;
    }
}
