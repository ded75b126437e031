namespace CloudInventory.Benchmarks.Pages;

/// <summary>
/// A response page generated in code, with what the generator wrote into it, so a run can verify
/// that every reader saw every value.
/// </summary>
/// <param name="Body">The response body bytes (UTF-8).</param>
/// <param name="Items">How many top-level items (instances) the page lists.</param>
/// <param name="Leaves">How many scalar values (strings, numbers, booleans, timestamps, map values) the page holds in modelled members.</param>
/// <param name="IntegerSum">The sum of all integer values the page holds.</param>
internal sealed record GeneratedPage(byte[] Body, int Items, int Leaves, long IntegerSum);
