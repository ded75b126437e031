namespace CloudInventory.Query;

/// <summary>
/// A tag scope, <c>Key=Value</c>: only resources whose <c>tags</c> map has that value for that key.
/// </summary>
/// <param name="Key">The tag key, case-sensitive as in AWS.</param>
/// <param name="Value">The tag value.</param>
public sealed record TagFilter(string Key, string Value)
{
    /// <summary>Parses <c>Key=Value</c> (the value may contain <c>=</c>; the key may not be empty).</summary>
    /// <exception cref="InventoryQueryException">The text is not <c>Key=Value</c>.</exception>
    public static TagFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new InventoryQueryException($"--where-tag expects Key=Value, got \"{text}\".");
        return new TagFilter(text[..eq], text[(eq + 1)..]);
    }

    /// <summary>The DuckDB predicate over a <c>tags</c> map column, e.g. <c>tags['Application'] = 'checkout'</c>.</summary>
    public string ToSql(string tagsColumn = "tags") =>
        $"{tagsColumn}[{Internal.Sql.Literal(Key)}] = {Internal.Sql.Literal(Value)}";

    /// <inheritdoc />
    public override string ToString() => $"{Key}={Value}";
}
