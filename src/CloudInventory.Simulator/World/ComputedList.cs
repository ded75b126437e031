using System.Collections;

namespace CloudInventory.Simulator.World;

/// <summary>
/// A read-only list whose items are computed from their index each time they are read, not stored: for world
/// records that are cheap to compute but many (a listing keeps the list while its pages are read).
/// </summary>
internal sealed class ComputedList<T>(int count, Func<int, T> itemAt) : IReadOnlyList<T>
{
    public int Count => count;

    public T this[int index] => (uint)index < (uint)count ? itemAt(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < count; i++) yield return itemAt(i);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
