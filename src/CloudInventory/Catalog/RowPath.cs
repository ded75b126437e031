namespace CloudInventory.Catalog;

/// <summary>
/// Where the rows are in an operation's output: members separated by dots, <c>[]</c> after a
/// list member to iterate it, e.g. <c>Reservations[].Instances[]</c> or <c>DistributionList.Items[]</c>.
/// A path without any list yields one row per call (e.g. <c>PasswordPolicy</c>); the path <c>.</c>
/// makes the whole output the row.
/// </summary>
public sealed class RowPath
{
    private RowPath(IReadOnlyList<RowPathSegment> segments) => Segments = segments;

    /// <summary>The steps, outermost first.</summary>
    public IReadOnlyList<RowPathSegment> Segments { get; }

    /// <summary>Parses a path such as <c>Reservations[].Instances[]</c>.</summary>
    /// <exception cref="FormatException">The text is not a path.</exception>
    public static RowPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<RowPathSegment>();
        if (text == ".") return new RowPath(segments);
        foreach (var part in text.Split('.'))
        {
            var isList = part.EndsWith("[]", StringComparison.Ordinal);
            var name = isList ? part[..^2] : part;
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new FormatException($"'{text}' is not a row path (members separated by '.', '[]' after a list member)");
            }
            segments.Add(new RowPathSegment(name, isList));
        }
        return new RowPath(segments);
    }

    /// <summary>Builds a path from its steps.</summary>
    public static RowPath Of(IEnumerable<RowPathSegment> segments) => new(segments.ToArray());

    /// <summary>The path up to and including step <paramref name="count"/> − 1.</summary>
    public RowPath Prefix(int count) => new(Segments.Take(count).ToArray());

    /// <inheritdoc />
    public override string ToString() => Segments.Count == 0 ? "." : string.Join('.', Segments);

    /// <summary>The path of a member of the row, e.g. <c>Reservations[].Instances[].InstanceId</c>.</summary>
    public string Member(string name) => Segments.Count == 0 ? name : $"{this}.{name}";
}
