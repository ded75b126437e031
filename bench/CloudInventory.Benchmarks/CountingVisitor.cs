using System.Text.Json;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Benchmarks;

/// <summary>
/// The cheapest useful <see cref="IShapeVisitor"/>: counts what it is told and sums the numbers,
/// so a benchmark with it measures the cost of reading a page and nothing else.
/// </summary>
public sealed class CountingVisitor : IShapeVisitor
{
    /// <summary>Scalar values seen (strings, numbers, booleans, timestamps, blobs, documents).</summary>
    public int Leaves { get; private set; }

    /// <summary>Structures started, the top-level output included.</summary>
    public int Structures { get; private set; }

    /// <summary>Lists and maps started.</summary>
    public int Collections { get; private set; }

    /// <summary>Sum of the integer values.</summary>
    public long IntegerSum { get; private set; }

    /// <summary>Total length of the strings and map keys, and of the timestamps' ticks, so nothing read goes unused.</summary>
    public long Checksum { get; private set; }

    /// <summary>Forgets every count, to read the next page.</summary>
    public void Reset()
    {
        Leaves = 0;
        Structures = 0;
        Collections = 0;
        IntegerSum = 0;
        Checksum = 0;
    }

    /// <inheritdoc />
    public void StartStructure(Shape shape) => Structures++;

    /// <inheritdoc />
    public void Member(Member member)
    {
    }

    /// <inheritdoc />
    public void EndStructure(Shape shape)
    {
    }

    /// <inheritdoc />
    public void StartList(Shape shape) => Collections++;

    /// <inheritdoc />
    public void EndList(Shape shape)
    {
    }

    /// <inheritdoc />
    public void StartMap(Shape shape) => Collections++;

    /// <inheritdoc />
    public void MapKey(string key) => Checksum += key.Length;

    /// <inheritdoc />
    public void EndMap(Shape shape)
    {
    }

    /// <inheritdoc />
    public void String(string value)
    {
        Leaves++;
        Checksum += value.Length;
    }

    /// <inheritdoc />
    public void Integer(long value)
    {
        Leaves++;
        IntegerSum += value;
    }

    /// <inheritdoc />
    public void Double(double value)
    {
        Leaves++;
        Checksum += (long)value;
    }

    /// <inheritdoc />
    public void Boolean(bool value)
    {
        Leaves++;
        if (value) Checksum++;
    }

    /// <inheritdoc />
    public void Timestamp(DateTimeOffset value)
    {
        Leaves++;
        Checksum += value.UtcTicks;
    }

    /// <inheritdoc />
    public void Blob(byte[] value)
    {
        Leaves++;
        Checksum += value.Length;
    }

    /// <inheritdoc />
    public void Document(JsonElement value)
    {
        Leaves++;
        Checksum += (int)value.ValueKind;
    }

    /// <inheritdoc />
    public void Null()
    {
    }

    /// <inheritdoc />
    public void Malformed(Shape shape, string text) => Leaves++;
}
