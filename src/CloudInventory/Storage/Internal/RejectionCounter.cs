namespace CloudInventory.Storage.Internal;

/// <summary>Counts the values of one column that did not fit its type and were stored as null.</summary>
internal sealed class RejectionCounter
{
    public long Count { get; private set; }

    public void Add() => Count++;
}
