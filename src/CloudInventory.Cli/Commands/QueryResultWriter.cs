using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// The one output vocabulary: rows as an aligned table (a Spectre.Console table on a terminal), CSV, JSON (an array of
/// objects) or JSON lines (one object a line). JSON is plain UTF-8 (no escapes of non-ASCII or HTML characters), nested
/// values are nested JSON and numbers are numbers.
/// </summary>
internal static class QueryResultWriter
{
    /// <summary>The formats every command that prints rows accepts.</summary>
    public static readonly string[] RowFormats = ["table", "csv", "json", "jsonl"];

    /// <summary>The formats of commands that write rows (query): the row formats and Parquet.</summary>
    public static readonly string[] Formats = [.. RowFormats, "parquet"];

    /// <summary>JSON as the tool writes it: UTF-8 text as is, HTML characters unescaped.</summary>
    public static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes rows in a format of <see cref="RowFormats"/>.</summary>
    public static void WriteRows(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, string format, TextWriter output, bool terminal)
    {
        switch (format)
        {
            case "csv": WriteCsv(columns, rows, output); break;
            case "json": WriteJson(columns, rows, output); break;
            case "jsonl": WriteJsonLines(columns, rows, output); break;
            default: WriteTable(columns, rows, output, terminal); break;
        }
    }

    /// <summary>Writes a JSON document (a tree of dictionaries, lists and scalars) the way every command writes JSON.</summary>
    public static void WriteDocument(object? document, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonOptions)) WriteJsonValue(json, document);
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Writes every result set of the reader; returns the number of rows written.</summary>
    public static long Write(DbDataReader reader, string format, TextWriter output, bool terminal)
    {
        long total = 0;
        var first = true;
        do
        {
            if (reader.FieldCount == 0) continue;
            if (!first && format == "table") output.WriteLine();
            first = false;
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(row);
            }
            total += rows.Count;
            WriteRows(columns, rows, format, output, terminal);
        }
        while (reader.NextResult());
        return total;
    }

    public static void WriteTable(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, TextWriter output, bool terminal)
    {
        if (terminal)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            var table = new Spectre.Console.Table().Border(TableBorder.Rounded);
            foreach (var c in columns) table.AddColumn(new TableColumn(Markup.Escape(c)));
            foreach (var row in rows) table.AddRow(row.Select(v => (Spectre.Console.Rendering.IRenderable)new Spectre.Console.Text(v is null ? "NULL" : Text(v))).ToArray());
            console.Write(table);
            console.WriteLine($"{rows.Count} row{(rows.Count == 1 ? "" : "s")}");
            return;
        }
        var cells = rows.Select(r => r.Select(v => v is null ? "NULL" : Text(v).ReplaceLineEndings(" ")).ToArray()).ToArray();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Length == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        for (var r = 0; r < cells.Length; r++)
        {
            var row = rows[r];
            output.WriteLine(string.Join("  ", cells[r].Select((v, i) => IsNumber(row[i]) ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd());
        }
        output.WriteLine($"({rows.Count} row{(rows.Count == 1 ? "" : "s")})");
    }

    private static bool IsNumber(object? value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or System.Numerics.BigInteger;

    public static void WriteCsv(IReadOnlyList<string> columns, IEnumerable<object?[]> rows, TextWriter output)
    {
        output.WriteLine(string.Join(",", columns.Select(Csv)));
        foreach (var row in rows) output.WriteLine(string.Join(",", row.Select(v => v is null ? "" : Csv(Text(v)))));
    }

    public static void WriteJson(IReadOnlyList<string> columns, IEnumerable<object?[]> rows, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < columns.Count; i++)
                {
                    json.WritePropertyName(columns[i]);
                    WriteJsonValue(json, row[i]);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    public static void WriteJsonLines(IReadOnlyList<string> columns, IEnumerable<object?[]> rows, TextWriter output)
    {
        var options = JsonOptions with { Indented = false };
        foreach (var row in rows)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream, options))
            {
                json.WriteStartObject();
                for (var i = 0; i < columns.Count; i++)
                {
                    json.WritePropertyName(columns[i]);
                    WriteJsonValue(json, row[i]);
                }
                json.WriteEndObject();
            }
            output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        }
    }

    /// <summary>A value as text: nested values as compact JSON, times in ISO-8601 UTC.</summary>
    public static string Text(object value) => value switch
    {
        string s => s,
        DateTime d => d.ToString(d.TimeOfDay == TimeSpan.Zero && d.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => Convert.ToBase64String(bytes),
        IDictionary or IList => Json(value),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Json(object value)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonOptions with { Indented = false })) WriteJsonValue(json, value);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null or DBNull: json.WriteNullValue(); break;
            case System.Text.Json.Nodes.JsonNode node: node.WriteTo(json); break;
            case JsonElement element: element.WriteTo(json); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case sbyte or byte or short or ushort or int or uint or long: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumberValue(u); break;
            case float f when !float.IsFinite(f): json.WriteStringValue(f.ToString(CultureInfo.InvariantCulture)); break;
            case double d when !double.IsFinite(d): json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case float or double: json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case decimal m: json.WriteNumberValue(m); break;
            case System.Numerics.BigInteger big: json.WriteRawValue(big.ToString(CultureInfo.InvariantCulture)); break;
            case IDictionary dict:
                json.WriteStartObject();
                foreach (DictionaryEntry e in dict)
                {
                    json.WritePropertyName(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "");
                    WriteJsonValue(json, e.Value);
                }
                json.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                json.WriteStartObject();
                foreach (var (k, v) in pairs)
                {
                    json.WritePropertyName(k);
                    WriteJsonValue(json, v);
                }
                json.WriteEndObject();
                break;
            case IList list:
                json.WriteStartArray();
                foreach (var item in list) WriteJsonValue(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(Text(value)); break;
        }
    }

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
