using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace CloudInventory.Query.Internal;

/// <summary>
/// Lets through only statements that read: DuckDB's own parser classifies the text
/// (<c>json_serialize_sql</c> serializes SELECT-like statements only: SELECT, WITH, FROM-first,
/// VALUES, set operations, DESCRIBE, SHOW, SUMMARIZE), and <c>EXPLAIN [ANALYZE]</c> of those.
/// Everything else (COPY, ATTACH, INSTALL, LOAD, SET, PRAGMA, CREATE, INSERT, EXPORT, ...) is refused.
/// </summary>
internal static partial class ReadOnlySqlGuard
{
    public static void Check(DuckDBConnection connection, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql.Replace(";", "", StringComparison.Ordinal)))
        {
            throw new InventoryQueryException("no SQL given");
        }
        var explain = ExplainPrefix().Match(sql);
        var body = explain.Success ? sql[explain.Length..] : sql;
        using var cmd = connection.CreateCommand();
        // json_serialize_sql needs a constant argument: pass the text as a quoted literal.
        cmd.CommandText = $"SELECT json_serialize_sql({Sql.Literal(body)})::VARCHAR";
        var json = (string)cmd.ExecuteScalar()!;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (!root.GetProperty("error").GetBoolean()) return;
        var type = root.TryGetProperty("error_type", out var t) ? t.GetString() : null;
        var message = root.TryGetProperty("error_message", out var m) ? m.GetString() : "invalid SQL";
        if (type == "parser")
        {
            var position = root.TryGetProperty("position", out var p) && int.TryParse(p.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pos)
                ? pos + (explain.Success ? explain.Length : 0) : -1;
            throw new InventoryQueryException("Parser Error: " + message + Pointer(sql, position));
        }
        var verb = FirstWord().Match(body).Value.ToUpperInvariant();
        throw new InventoryQueryException(
            $"refused: the query path is read-only; {(verb.Length > 0 ? verb + " statements are" : "this statement is")} not allowed. " +
            "Only SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN are (nothing is ever written to the store).");
    }

    /// <summary>DuckDB's way of showing a position: the line, and a caret under the character.</summary>
    public static string Pointer(string sql, int position)
    {
        if (position < 0 || position > sql.Length) return "";
        var lineStart = sql.LastIndexOf('\n', Math.Max(0, position - 1)) + 1;
        if (position == 0) lineStart = 0;
        var lineEnd = sql.IndexOf('\n', position);
        if (lineEnd < 0) lineEnd = sql.Length;
        var lineNo = sql[..lineStart].Count(c => c == '\n') + 1;
        var prefix = $"LINE {lineNo}: ";
        var sb = new StringBuilder("\n\n").Append(prefix).Append(sql[lineStart..lineEnd].TrimEnd('\r')).Append('\n');
        sb.Append(' ', prefix.Length + position - lineStart).Append('^');
        return sb.ToString();
    }

    [GeneratedRegex(@"^\s*EXPLAIN(\s+ANALYZE)?\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplainPrefix();

    [GeneratedRegex(@"(?<=^[\s(]*)[A-Za-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex FirstWord();
}
