using System.Globalization;
using System.Text;

namespace CloudInventory.Query.Internal;

/// <summary>Quoting for the SQL the query layer generates.</summary>
internal static class Sql
{
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Date(DateOnly date) => "DATE '" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "'";

    public static string List(IEnumerable<string> values)
    {
        var sb = new StringBuilder("[");
        var first = true;
        foreach (var v in values)
        {
            if (!first) sb.Append(", ");
            sb.Append(Literal(v));
            first = false;
        }
        return sb.Append(']').ToString();
    }
}
