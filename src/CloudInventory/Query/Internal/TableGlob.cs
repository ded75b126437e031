using System.Text.RegularExpressions;

namespace CloudInventory.Query.Internal;

/// <summary>A table-name glob (<c>*</c>, <c>?</c>), case-insensitive; a glob without <c>aws_</c> also matches with it.</summary>
internal sealed class TableGlob
{
    private readonly Regex? _regex;

    public TableGlob(string? glob)
    {
        if (string.IsNullOrWhiteSpace(glob)) return;
        var pattern = Regex.Escape(glob.Trim()).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal);
        _regex = new Regex($"^(?:aws_)?{pattern}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public bool IsMatch(string table) => _regex is null || _regex.IsMatch(table);
}
