using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.Protocols;

/// <summary>
/// The items of one list of an output, produced one at a time while the response is written, so that a large
/// page's items never exist as one tree: the output holds an empty placeholder array where they go.
/// </summary>
/// <param name="Placeholder">The (empty) array of the output that the items are written in place of.</param>
/// <param name="Items">The items, built as they are enumerated.</param>
internal sealed record StreamedList(JsonArray Placeholder, IEnumerable<JsonNode?> Items)
{
    /// <summary>The items to write for <paramref name="array"/>: the streamed ones in place of the placeholder, else its own.</summary>
    public static IEnumerable<JsonNode?> ItemsOf(JsonArray array, StreamedList? streamed) =>
        streamed is not null && ReferenceEquals(array, streamed.Placeholder) ? streamed.Items : array;
}
