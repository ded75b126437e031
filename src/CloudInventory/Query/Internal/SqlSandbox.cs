using System.Text.Json;
using DuckDB.NET.Data;

namespace CloudInventory.Query.Internal;

/// <summary>
/// The dashboard's SQL sandbox, on top of <see cref="ReadOnlySqlGuard"/> and the locked-down connection (external access
/// off, allowed directories = the store): one statement only, no table or scalar function that reads files, lists
/// directories, reads the environment or the settings, and no file path in <c>FROM</c> (a replacement scan).
/// DuckDB's own parser (<c>json_serialize_sql</c>) finds the functions and table names, so quoting cannot hide them.
/// </summary>
internal static class SqlSandbox
{
    public const string Scope = "the SQL console runs one read-only SELECT over the store's views (aws_*, azure_*, current_*, daily_*, distinct_*, cloudinv_runs, cloudinv_errors); files, the environment, settings and extensions are out of reach";

    private static readonly HashSet<string> AllowedTableFunctions = new(StringComparer.OrdinalIgnoreCase) { "range", "generate_series", "unnest" };

    private static readonly HashSet<string> RefusedFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "getenv", "glob", "read_text", "read_blob", "current_setting", "query", "query_table", "sniff_csv", "load", "install",
        "enable_profiling", "checkpoint", "force_checkpoint", "which_secret", "sql_auto_complete", "icu_calendar_names",
    };

    private static readonly string[] RefusedPrefixes = ["read_", "parquet_", "duckdb_", "pragma_", "iceberg_", "delta_", "json_execute", "sqlite_", "postgres_", "mysql_", "glob"];

    public static void Check(DuckDBConnection connection, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql.Replace(";", "", StringComparison.Ordinal))) throw new InventoryQueryException("no SQL given");
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT json_serialize_sql({Sql.Literal(sql)})::VARCHAR";
        using var doc = JsonDocument.Parse((string)cmd.ExecuteScalar()!);
        var root = doc.RootElement;
        if (root.GetProperty("error").GetBoolean())
        {
            // Not a SELECT (or not valid SQL): the read-only guard says which, with its message.
            ReadOnlySqlGuard.Check(connection, sql);
            throw Refuse("this statement is not a SELECT");
        }
        var statements = root.GetProperty("statements");
        if (statements.GetArrayLength() != 1) throw Refuse($"{statements.GetArrayLength()} statements were given; send one at a time");
        Walk(statements[0]);
    }

    private static void Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var type = element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (type == "TABLE_FUNCTION" && element.TryGetProperty("function", out var f) && f.TryGetProperty("function_name", out var tf)
                    && !AllowedTableFunctions.Contains(tf.GetString() ?? ""))
                {
                    throw Refuse($"the table function {tf.GetString()}() is not available");
                }
                if (type == "BASE_TABLE" && element.TryGetProperty("table_name", out var name) && name.GetString() is { } tableName
                    && (tableName.Contains('/', StringComparison.Ordinal) || tableName.Contains('\\', StringComparison.Ordinal) || tableName.Contains('.', StringComparison.Ordinal)))
                {
                    throw Refuse($"\"{tableName}\" is a file, not a view");
                }
                if (element.TryGetProperty("function_name", out var fn) && fn.GetString() is { } function && IsRefused(function))
                {
                    throw Refuse($"the function {function}() is not available");
                }
                foreach (var property in element.EnumerateObject()) Walk(property.Value);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item);
                break;
        }
    }

    private static bool IsRefused(string function) =>
        RefusedFunctions.Contains(function) || RefusedPrefixes.Any(p => function.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static InventoryQueryException Refuse(string what) => new($"refused: {what}; {Scope}.");
}
