namespace CloudInventory.Azure.Models;

/// <summary>One Azure resource type at its latest stable API version.</summary>
/// <param name="Type">The type as Azure spells it, e.g. <c>Microsoft.Compute/virtualMachines</c>.</param>
/// <param name="ApiVersion">Its latest stable API version.</param>
/// <param name="Properties">The shape of its <c>properties</c>; null when the model has none.</param>
public sealed record AzureResourceModel(string Type, string ApiVersion, AzureShape? Properties)
{
    /// <summary>The resource provider, e.g. <c>Microsoft.Compute</c>.</summary>
    public string Provider => Type[..Type.IndexOf('/', StringComparison.Ordinal)];
}
