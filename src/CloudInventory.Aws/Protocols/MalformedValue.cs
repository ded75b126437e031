using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols;

/// <summary>
/// A scalar the model types as a boolean, number, timestamp or blob whose text was not one (tolerant reading):
/// it was read as null, and the rest of the response was kept.
/// </summary>
/// <param name="MemberPath">Where in the output: members joined by dots, <c>[]</c> after a list, <c>{}</c> after a map (<c>Reservations[].Instances[].EbsOptimized</c>).</param>
/// <param name="Type">The modelled type (<c>boolean</c>, <c>integer</c>, <c>timestamp</c>, …).</param>
/// <param name="Text">The offending text, cut to <see cref="MaxTextLength"/> characters.</param>
public sealed record MalformedValue(string MemberPath, string Type, string Text)
{
    /// <summary>How much of an offending text is kept.</summary>
    public const int MaxTextLength = 100;

    /// <summary>The text as recorded: at most <see cref="MaxTextLength"/> characters.</summary>
    public static string Cut(ReadOnlySpan<char> text) => (text.Length > MaxTextLength ? text[..MaxTextLength] : text).ToString();

    /// <summary>The modelled type's name as warnings show it.</summary>
    public static string TypeName(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Type.ToString().ToLowerInvariant();
    }

    /// <summary>The one-line warning: <c>member 'X' is not a valid boolean: 'None' (read as null)</c>.</summary>
    public override string ToString() => $"member '{MemberPath}' is not a valid {Type}: '{Text}' (read as null)";
}
