namespace CloudInventory.Azure.Models;

/// <summary>A member of a modelled Azure object, with the flags of Azure's type model.</summary>
/// <param name="Name">The member's JSON name.</param>
/// <param name="Shape">Its value's shape.</param>
/// <param name="IsReadOnly">Set by Azure, never by a caller.</param>
/// <param name="IsWriteOnly">Sent by a caller, never returned (e.g. a password).</param>
/// <param name="IsSensitive">Marked sensitive (a secret).</param>
public sealed record AzureMember(string Name, AzureShape Shape, bool IsReadOnly, bool IsWriteOnly, bool IsSensitive)
{
    /// <summary>Whether an inventory may keep it: write-only and sensitive members are never stored.</summary>
    public bool IsStored => !IsWriteOnly && !IsSensitive;
}
