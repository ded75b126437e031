namespace CloudInventory.Simulator.Azure;

/// <summary>One subscription of the simulated tenant.</summary>
/// <param name="Id">The subscription GUID.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="State">Enabled or Disabled.</param>
/// <param name="ManagementGroup">The name of the management group that holds it.</param>
public sealed record SimulatedAzureSubscription(string Id, string DisplayName, string State, string ManagementGroup);
