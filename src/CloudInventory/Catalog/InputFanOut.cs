namespace CloudInventory.Catalog;

/// <summary>
/// A scalar input parameter given several values: the table's operation is called once per value
/// (e.g. Application Auto Scaling's <c>ServiceNamespace</c>, which has no "all" value).
/// </summary>
/// <param name="Parameter">The top-level input member, e.g. <c>ServiceNamespace</c>.</param>
/// <param name="Values">The values, one call each.</param>
public sealed record InputFanOut(string Parameter, IReadOnlyList<string> Values);
