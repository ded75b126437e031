using System.Text;

namespace CloudInventory.Catalog.Internal;

/// <summary>Turns AWS model member names into snake_case column names.</summary>
internal static class ColumnNames
{
    /// <summary>
    /// <c>AmiLaunchIndex</c> → <c>ami_launch_index</c>, <c>DBInstanceIdentifier</c> → <c>db_instance_identifier</c>,
    /// <c>Ipv6Addresses</c> → <c>ipv6_addresses</c>, <c>RoleARNs</c> → <c>role_arns</c>, <c>clusterArn</c> → <c>cluster_arn</c>.
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        // "IPv6"/"IPv4" read as one word, like "Ipv6".
        name = name.Replace("IPv", "Ipv", StringComparison.Ordinal);
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
                continue;
            }
            if (char.IsAsciiLetterUpper(c) && i > 0 && sb.Length > 0 && sb[^1] != '_')
            {
                var prev = name[i - 1];
                var prevLowerOrDigit = char.IsAsciiLetterLower(prev) || char.IsAsciiDigit(prev);
                var startsWord = i + 1 < name.Length && char.IsAsciiLetterLower(name[i + 1]) && !IsAcronymPlural(name, i + 1);
                if (prevLowerOrDigit || (char.IsAsciiLetterUpper(prev) && startsWord)) sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        while (sb.Length > 0 && sb[^1] == '_') sb.Length--;
        var result = sb.ToString();
        return result.Length > 0 && char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }

    // "ARNs", "IDs": a lone 's' that ends an acronym (followed by the end or another word).
    private static bool IsAcronymPlural(string name, int i) =>
        name[i] == 's' && (i + 1 == name.Length || !char.IsAsciiLetterLower(name[i + 1]));

    /// <summary>The singular of a snake_case plural, for columns of scalar rows: <c>queue_urls</c> → <c>queue_url</c>.</summary>
    public static string Singular(string snake)
    {
        if (snake.EndsWith("ies", StringComparison.Ordinal)) return snake[..^3] + "y";
        if (snake.EndsWith("sses", StringComparison.Ordinal) || snake.EndsWith("xes", StringComparison.Ordinal)
            || snake.EndsWith("ches", StringComparison.Ordinal) || snake.EndsWith("shes", StringComparison.Ordinal)
            || snake.EndsWith("aliases", StringComparison.Ordinal)) return snake[..^2];
        if (snake.EndsWith('s') && !snake.EndsWith("ss", StringComparison.Ordinal) && !snake.EndsWith("us", StringComparison.Ordinal)) return snake[..^1];
        return snake;
    }
}
