using System.Text.RegularExpressions;

namespace CloudInventory.Catalog;

/// <summary>
/// The guard that keeps the catalog read-only: every operation a table or enrichment calls must
/// start with an allowlisted read verb, and must not be one of the reads that return secrets or
/// data rather than configuration.
/// </summary>
public static partial class ReadVerbs
{
    /// <summary>The verbs an operation name may start with.</summary>
    public static IReadOnlyList<string> Allowed { get; } = ["List", "Describe", "Get"];

    /// <summary>True when the operation name starts with an allowed verb followed by a word (<c>DescribeInstances</c>, not <c>Getaway</c>).</summary>
    public static bool IsRead(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        foreach (var verb in Allowed)
        {
            if (operation.Length > verb.Length && operation.StartsWith(verb, StringComparison.Ordinal) && char.IsAsciiLetterUpper(operation[verb.Length])) return true;
        }
        return false;
    }

    /// <summary>True for reads that return secrets, credentials or stored data (<c>GetSecretValue</c>, <c>GetParameters</c>, <c>GetPasswordData</c>, <c>GetObject</c>, …), which the catalog never calls.</summary>
    public static bool ReturnsSecretsOrData(string operation) => SecretOrData().IsMatch(operation);

    [GeneratedRegex("^Get(SecretValue|Parameters?|ParametersByPath|ParameterHistory|PasswordData|[A-Za-z]*Token|[A-Za-z]*Credentials?|ConsoleOutput|ConsoleScreenshot|RandomPassword|Object|ObjectTorrent|Records|ShardIterator|Media[A-Za-z]*|Clip|Item|LaunchTemplateData|DataKey[A-Za-z]*|DataAccess|QueryResults|LogEvents)$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretOrData();
}
