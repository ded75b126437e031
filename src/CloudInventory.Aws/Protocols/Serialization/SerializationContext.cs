using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Text;

namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>A structure member bound to the value the caller gave for it, with its path for messages.</summary>
internal readonly record struct BoundMember(Member Member, JsonNode Value, string Path);

/// <summary>
/// What every protocol writer needs while it walks one input: the operation (for messages), the
/// options, and the resolution of input keys to model members.
/// </summary>
internal sealed class SerializationContext(Operation operation, AwsSerializerOptions options)
{
    public Operation Operation { get; } = operation;

    public AwsSerializerOptions Options { get; } = options;

    /// <summary>An error about one parameter: <c>svc Op: parameter 'path' problem</c>.</summary>
    public AwsRequestException ParameterError(string path, string problem) =>
        new($"{Operation.Service.Name} {Operation.Name}: parameter '{path}' {problem}");

    /// <summary>An error about the request as a whole.</summary>
    public AwsRequestException Error(string message) => new($"{Operation.Service.Name} {Operation.Name}: {message}");

    /// <summary>
    /// Binds the keys of a structure value to the shape's members, in the caller's order, leaving
    /// out explicit nulls. Keys match member names exactly, else case-insensitively when that is
    /// unambiguous; anything else is an unknown parameter. A required member left out is an error.
    /// </summary>
    public List<BoundMember> BindStructure(Shape shape, JsonObject value, string path) => Bind(shape, value, path, checkRequired: true);

    private List<BoundMember> Bind(Shape shape, JsonObject value, string path, bool checkRequired)
    {
        var bound = new List<BoundMember>(value.Count);
        foreach (var (key, node) in value)
        {
            var member = FindMember(shape, key, path);
            if (node is null) continue;
            var memberPath = Join(path, member.Name);
            if (bound.Exists(b => ReferenceEquals(b.Member, member))) throw ParameterError(memberPath, "is given more than once");
            bound.Add(new BoundMember(member, node, memberPath));
        }
        if (checkRequired) CheckRequired(shape, bound, path);
        return bound;
    }

    /// <summary>Throws for the first required member of <paramref name="shape"/> that is not bound.</summary>
    private void CheckRequired(Shape shape, List<BoundMember> bound, string path)
    {
        foreach (var member in shape.Members)
        {
            if (!member.IsRequired || bound.Exists(b => ReferenceEquals(b.Member, member))) continue;
            var wire = member.LocationName ?? member.Name;
            var where = member.Location switch
            {
                _ when member.HostLabel && Operation.HostPrefix is { } prefix => $" (it fills the host prefix '{prefix}')",
                MemberLocation.Uri => $" (it fills the URI label {{{wire}}})",
                MemberLocation.Header => $" (header '{wire}')",
                MemberLocation.QueryString => $" (query parameter '{wire}')",
                _ => "",
            };
            throw Error($"missing required parameter '{Join(path, member.Name)}'{where}");
        }
    }

    /// <summary>
    /// Binds the top-level input, then fills each absent <c>idempotencyToken</c> member with a
    /// generated token.
    /// </summary>
    public List<BoundMember> BindInput(JsonObject? input)
    {
        var shape = Operation.Input?.Shape;
        if (shape is null)
        {
            if (input is { Count: > 0 })
            {
                var first = input.First().Key;
                throw Error($"unknown parameter '{first}': the operation takes no parameters");
            }
            return [];
        }
        if (shape.Type != ShapeType.Structure) throw Error($"input shape '{shape.Name}' is not a structure");
        var bound = input is null ? [] : Bind(shape, input, "", checkRequired: false);
        foreach (var member in shape.Members)
        {
            if (!member.IdempotencyToken) continue;
            if (bound.Exists(b => ReferenceEquals(b.Member, member))) continue;
            bound.Add(new BoundMember(member, JsonValue.Create(Options.IdempotencyTokenGenerator()), member.Name));
        }
        CheckRequired(shape, bound, "");
        return bound;
    }

    /// <summary>Finds a member by key, or throws an unknown-parameter error suggesting the closest name.</summary>
    public Member FindMember(Shape shape, string key, string path)
    {
        var member = shape.FindMember(key);
        if (member is not null) return member;
        Member? match = null;
        foreach (var m in shape.Members)
        {
            if (!string.Equals(m.Name, key, StringComparison.OrdinalIgnoreCase)) continue;
            if (match is not null) { match = null; break; }
            match = m;
        }
        if (match is not null) return match;
        var full = Join(path, key);
        var closest = EditDistance.Closest(key, shape.Members.Select(m => m.Name));
        var hint = closest is null
            ? shape.Members.Count == 0 ? " (the structure has no members)" : ""
            : $"; did you mean '{closest}'?";
        throw Error($"unknown parameter '{full}'{hint}");
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(string path, int index) => $"{path}[{index}]";

    public static string Key(string path, string key) => $"{path}[\"{key}\"]";
}
