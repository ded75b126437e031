using System.Text.RegularExpressions;

namespace CloudInventory.Text;

/// <summary>Shell-style globs over names: <c>*</c> any run of characters, <c>?</c> one character; case-insensitive, whole name.</summary>
public static class Glob
{
    /// <summary>The regular expression of a glob, anchored at both ends.</summary>
    public static Regex ToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>True when <paramref name="name"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string name, string pattern) => ToRegex(pattern).IsMatch(name);
}
