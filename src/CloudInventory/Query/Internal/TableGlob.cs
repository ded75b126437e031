using System.Text.RegularExpressions;
using CloudInventory.Text;

namespace CloudInventory.Query.Internal;

/// <summary>A table-name glob (<c>*</c>, <c>?</c>), case-insensitive; a glob without <c>aws_</c> also matches with it.</summary>
internal sealed class TableGlob
{
    private readonly Regex? _regex;
    private readonly Regex? _prefixed;

    public TableGlob(string? glob)
    {
        if (string.IsNullOrWhiteSpace(glob)) return;
        _regex = Glob.ToRegex(glob.Trim());
        _prefixed = Glob.ToRegex("aws_" + glob.Trim());
    }

    public bool IsMatch(string table) => _regex is null || _regex.IsMatch(table) || _prefixed!.IsMatch(table);
}
