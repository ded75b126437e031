namespace CloudInventory.Aws.Models;

/// <summary>The model's <c>xmlNamespace</c> trait: a namespace URI and an optional prefix.</summary>
/// <param name="Uri">The namespace URI.</param>
/// <param name="Prefix">The prefix, or null for a default namespace.</param>
public sealed record XmlNamespace(string Uri, string? Prefix);
