namespace CloudInventory.Azure.Models;

/// <summary>The shape of a value in Azure's type model (from Azure.Bicep.Types.Az).</summary>
public sealed class AzureShape
{
    /// <summary>Anything: kept as JSON.</summary>
    public static readonly AzureShape Any = new(AzureShapeKind.Any);

    // Shared by every shape without members (most of them): the bundle holds hundreds of thousands of shapes.
    private static readonly IReadOnlyDictionary<string, AzureMember> s_noMembers = new Dictionary<string, AzureMember>();

    /// <summary>A string, an integer, a boolean: one shared instance each (shapes are immutable).</summary>
    internal static readonly AzureShape String = new(AzureShapeKind.String);

    /// <inheritdoc cref="String"/>
    internal static readonly AzureShape Integer = new(AzureShapeKind.Integer);

    /// <inheritdoc cref="String"/>
    internal static readonly AzureShape Boolean = new(AzureShapeKind.Boolean);

    internal AzureShape(AzureShapeKind kind, IReadOnlyList<string>? values = null, AzureShape? item = null,
        IReadOnlyDictionary<string, AzureMember>? members = null, AzureShape? additional = null, string? discriminator = null)
    {
        Kind = kind;
        Values = values ?? [];
        Item = item;
        Members = members ?? s_noMembers;
        Additional = additional;
        Discriminator = discriminator;
    }

    /// <summary>What kind of value it is.</summary>
    public AzureShapeKind Kind { get; }

    /// <summary>The allowed strings of an <see cref="AzureShapeKind.Enum"/>.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The element shape of an <see cref="AzureShapeKind.Array"/>.</summary>
    public AzureShape? Item { get; }

    /// <summary>The named members of an <see cref="AzureShapeKind.Object"/>, in ordinal order.</summary>
    public IReadOnlyDictionary<string, AzureMember> Members { get; }

    /// <summary>The value shape of an object's other keys (a map), if it allows them.</summary>
    public AzureShape? Additional { get; }

    /// <summary>The member that tells the variants of a polymorphic object apart (their members are merged).</summary>
    public string? Discriminator { get; }
}
