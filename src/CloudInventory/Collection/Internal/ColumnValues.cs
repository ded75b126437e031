using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Turns what the API returned into a table's column values: picks each column's source (the row, an
/// enclosing object, the parent row, an enrichment, the run), and applies its conversion (tag lists to
/// maps, JSON documents to text).
/// </summary>
internal sealed class ColumnValues
{
    private readonly Table _table;
    private readonly string _rowPath;
    private readonly (int Level, string Member)?[] _carried;
    private readonly string?[] _apiMember; // null: the column is the whole row
    private readonly int _accountIndex;
    private readonly int _regionIndex;
    private readonly int _reportTimeIndex;
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    public ColumnValues(Table table)
    {
        _table = table;
        _rowPath = table.RowPath.ToString();
        _carried = new (int, string)?[table.Columns.Count];
        _apiMember = new string?[table.Columns.Count];
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            if (column.Origin == ColumnOrigin.Api && column.SourcePath is { } apiPath && apiPath != _rowPath)
            {
                _apiMember[i] = table.RowPath.Segments.Count == 0 ? apiPath : apiPath[(_rowPath.Length + 1)..];
            }
            if (column.Origin == ColumnOrigin.Carried && column.SourcePath is { } path)
            {
                var parsed = RowPath.Parse(path);
                _carried[i] = (parsed.Segments.Count - 1, parsed.Segments[^1].Member);
            }
        }
        CarriedPrefixes = table.Columns.Where(c => c.Origin == ColumnOrigin.Carried && c.SourcePath is not null)
            .Select(c => RowPath.Parse(c.SourcePath!)).Select(p => p.Prefix(p.Segments.Count - 1)).ToArray();
        _accountIndex = IndexOf("account_id");
        _regionIndex = IndexOf("region");
        _reportTimeIndex = IndexOf("report_time");
        for (var i = 0; i < table.Columns.Count; i++) _byName.TryAdd(table.Columns[i].Name, i);
    }

    /// <summary>The carried columns' path prefixes (for <see cref="RowExtractor"/>).</summary>
    public IReadOnlyList<RowPath> CarriedPrefixes { get; }

    /// <summary>Fills the values that come from the row itself, the enclosing objects, the parent and the run.</summary>
    public JsonNode?[] FromRow(ExtractedRow row, IReadOnlyDictionary<string, JsonNode?>? parent, string accountId, string region, DateTimeOffset reportTime)
    {
        var values = new JsonNode?[_table.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var column = _table.Columns[i];
            switch (column.Origin)
            {
                case ColumnOrigin.Api:
                    var raw = _apiMember[i] is { } name ? (row.Value as JsonObject)?[name] : row.Value;
                    values[i] = Convert(raw, column.Conversion);
                    break;
                case ColumnOrigin.Carried:
                    var (level, member) = _carried[i]!.Value;
                    values[i] = Convert((row.AncestorAt(level) as JsonObject)?[member], column.Conversion);
                    break;
                case ColumnOrigin.Parent:
                    var sourcePath = column.SourcePath ?? "";
                    var parentColumn = sourcePath[(sourcePath.IndexOf('.', StringComparison.Ordinal) + 1)..];
                    values[i] = parent is not null && parent.TryGetValue(parentColumn, out var pv) ? pv : null;
                    break;
            }
        }
        if (_accountIndex >= 0) values[_accountIndex] = accountId;
        if (_regionIndex >= 0) values[_regionIndex] = region;
        if (_reportTimeIndex >= 0) values[_reportTimeIndex] = JsonValue.Create(reportTime);
        return values;
    }

    /// <summary>Puts an enrichment's result into its column, or into the columns it is flattened into.</summary>
    public void SetEnrichment(JsonNode?[] values, Enrichment enrichment, JsonNode? result)
    {
        var source = enrichment.ResultPath is null ? enrichment.Operation : $"{enrichment.Operation}:{enrichment.ResultPath}";
        for (var i = 0; i < values.Length; i++)
        {
            var column = _table.Columns[i];
            if (column.Origin != ColumnOrigin.Enrichment || column.SourcePath is null) continue;
            if (enrichment.Flatten)
            {
                if (!column.SourcePath.StartsWith(source + ".", StringComparison.Ordinal)) continue;
                // A flattened column the listing already has keeps the listing's value.
                var field = column.SourcePath[(source.Length + 1)..];
                values[i] = Convert((result as JsonObject)?[field], column.Conversion);
            }
            else if (column.Name == enrichment.Name && column.SourcePath == source)
            {
                values[i] = Convert(result, column.Conversion);
            }
        }
    }

    /// <summary>The values by column name (for enrichment and child-table inputs).</summary>
    public Dictionary<string, JsonNode?> ByName(JsonNode?[] values)
    {
        var dict = new Dictionary<string, JsonNode?>(values.Length, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++) dict[_table.Columns[i].Name] = values[i];
        return dict;
    }

    /// <summary>The values of the named columns only (what child tables read from a parent row, held until they are collected).</summary>
    public Dictionary<string, JsonNode?> ByName(JsonNode?[] values, IReadOnlyList<string> columns)
    {
        var dict = new Dictionary<string, JsonNode?>(columns.Count, StringComparer.Ordinal);
        foreach (var name in columns)
        {
            if (_byName.TryGetValue(name, out var i)) dict[name] = values[i];
        }
        return dict;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _table.Columns.Count; i++)
        {
            if (_table.Columns[i].Name == name && _table.Columns[i].Origin == ColumnOrigin.System) return i;
        }
        return -1;
    }

    /// <summary>Applies a column conversion to an API value.</summary>
    public static JsonNode? Convert(JsonNode? value, ColumnConversion conversion)
    {
        if (value is null) return null;
        switch (conversion)
        {
            case ColumnConversion.TagListToMap:
                if (value is not JsonArray list) return value;
                var map = new JsonObject();
                foreach (var tag in list)
                {
                    if (tag is not JsonObject t) continue;
                    var key = TagField(t, "Key");
                    if (key is null) continue;
                    map[key] = TagField(t, "Value");
                }
                return map;
            // JSON columns store the JSON text of the node they get: hand over parsed documents, not strings.
            case ColumnConversion.JsonText:
                return value.GetValueKind() == JsonValueKind.String ? ParseJson(value.GetValue<string>()) : value;
            case ColumnConversion.UrlEncodedJsonText:
                return value.GetValueKind() == JsonValueKind.String ? ParseJson(WebUtility.UrlDecode(value.GetValue<string>())) : value;
            case ColumnConversion.ValueAsJson:
                return value;
            default:
                return value;
        }
    }

    private static string? TagField(JsonObject tag, string name)
    {
        foreach (var (k, v) in tag)
        {
            if (k.Equals(name, StringComparison.OrdinalIgnoreCase) || k.Equals("Tag" + name, StringComparison.OrdinalIgnoreCase))
                return v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v?.ToJsonString();
        }
        return null;
    }

    // A JSON document given as text becomes its tree when it parses; otherwise it is kept as the text.
    private static JsonNode ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? JsonValue.Create(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
