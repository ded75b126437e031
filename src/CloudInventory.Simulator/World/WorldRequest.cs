using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Simulator.World;

/// <summary>One call the world answers: which operation, for which account, region and day, with which input.</summary>
internal sealed class WorldRequest(Operation operation, string accountId, string region, DateOnly date, JsonObject input, ShapeValueGenerator generator)
{
    public Operation Operation { get; } = operation;
    public string AccountId { get; } = accountId;
    public string Region { get; } = region;
    public DateOnly Date { get; } = date;
    public JsonObject Input { get; } = input;

    public ShapeValueGenerator.Context Context => new(Operation.Service.EndpointPrefix, AccountId, Region, Date);

    /// <summary>
    /// A generic item of the list at <paramref name="listPath"/> in the output (dots cross into list items:
    /// <c>Reservations.Instances</c>), to overlay real fields on.
    /// </summary>
    public JsonObject NewItem(string listPath, string seed) => (JsonObject)NewListItem(listPath, seed)!;

    /// <summary>A generic item of any shape (structure, string, …) of the list at <paramref name="listPath"/>.</summary>
    public JsonNode? NewListItem(string listPath, string seed)
    {
        var shape = Operation.Output!.Shape;
        Member? member = null;
        foreach (var part in listPath.Split('.'))
        {
            member = shape.FindMember(part) ?? throw new InvalidOperationException($"{Operation}: no output member '{listPath}'");
            shape = member.Shape.ListMember?.Shape ?? member.Shape;
        }
        var name = member!.Name.EndsWith('s') ? member.Name[..^1] : member.Name;
        return generator.Generate(shape, name, Context, seed);
    }


    /// <summary>A generic output of the whole operation.</summary>
    public JsonObject NewOutput(string seed) =>
        Operation.Output is { } output ? generator.GenerateStructure(output.Shape, Context, seed) : [];

    /// <summary>The strings of a list input (e.g. InstanceIds), or null when absent.</summary>
    public HashSet<string>? Strings(string member) =>
        Input[member] is JsonArray a && a.Count > 0 ? a.Select(v => v!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) : null;

    /// <summary>The string of a scalar input, or null.</summary>
    public string? String(string member) => Input[member] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
