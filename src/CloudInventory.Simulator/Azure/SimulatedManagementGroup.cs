namespace CloudInventory.Simulator.Azure;

/// <summary>One management group of the simulated tenant.</summary>
/// <param name="Name">Its name (the tenant id for the root group).</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="Parent">Its parent's name; null for the tenant root group.</param>
public sealed record SimulatedManagementGroup(string Name, string DisplayName, string? Parent)
{
    /// <summary>Its resource id.</summary>
    public string Id => "/providers/Microsoft.Management/managementGroups/" + Name;
}
