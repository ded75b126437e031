using System.Text.RegularExpressions;

namespace CloudInventory.Collection;

/// <summary>Shell-style globs over names: <c>*</c> any run of characters, <c>?</c> one character.</summary>
public static class Glob
{
    /// <summary>True when <paramref name="name"/> matches <paramref name="pattern"/> (case-insensitive, whole name).</summary>
    public static bool IsMatch(string name, string pattern) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
