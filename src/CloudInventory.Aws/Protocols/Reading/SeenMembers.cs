namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// Remembers which members of one structure instance were announced, so a member the server
/// repeats (a duplicate element or JSON key) is announced once and row builders stay aligned.
/// Covers the first 128 members of a structure; later ones are not checked.
/// </summary>
internal struct SeenMembers
{
    private ulong _low;
    private ulong _high;

    /// <summary>Marks the member; false when it was already marked.</summary>
    public bool TryMark(int index)
    {
        if (index < 64)
        {
            var bit = 1UL << index;
            if ((_low & bit) != 0) return false;
            _low |= bit;
            return true;
        }
        if (index < 128)
        {
            var bit = 1UL << (index - 64);
            if ((_high & bit) != 0) return false;
            _high |= bit;
            return true;
        }
        return true;
    }
}
