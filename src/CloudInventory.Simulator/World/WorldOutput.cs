using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

/// <summary>
/// What the world answers to one call: a whole output, or a <see cref="WorldListing"/> whose list items are built
/// only when asked for. Handlers return either (both convert implicitly).
/// </summary>
internal sealed class WorldOutput
{
    private WorldOutput(JsonObject? whole, WorldListing? listing)
    {
        Whole = whole;
        Listing = listing;
    }

    /// <summary>The output, when the world built it whole; null for a listing.</summary>
    public JsonObject? Whole { get; }

    /// <summary>The listing, when the world answers with one; null for a whole output.</summary>
    public WorldListing? Listing { get; }

    [return: NotNullIfNotNull(nameof(whole))]
    public static implicit operator WorldOutput?(JsonObject? whole) => FromWhole(whole);

    public static implicit operator WorldOutput(WorldListing listing) => FromListing(listing);

    /// <summary>An output built whole; null stays null (the handler does not model the call).</summary>
    [return: NotNullIfNotNull(nameof(whole))]
    public static WorldOutput? FromWhole(JsonObject? whole) => whole is null ? null : new WorldOutput(whole, null);

    /// <summary>A listing's output.</summary>
    public static WorldOutput FromListing(WorldListing listing) => new(null, listing);

    /// <summary>The whole output: the listing built with all its items. A whole output is returned as it is (not a copy).</summary>
    public JsonObject ToJson() => Whole ?? Listing!.ToJson();
}
