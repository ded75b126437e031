using CloudInventory.Catalog;
using CloudInventory.Query.Internal;

namespace CloudInventory.Query;

/// <summary>
/// What changed between two snapshots, computed in DuckDB: per table, rows added, removed and
/// changed by key (account_id, region, primary key); for changed rows, the changed columns with old
/// and new values. Nested values compare deeply (maps regardless of entry order); columns that
/// change with every collection (<c>report_time</c>) are ignored.
/// </summary>
public static class InventoryDiff
{
    /// <summary>Compares the two snapshots the options name.</summary>
    /// <exception cref="InventoryQueryException">A reference matches no run, or a query fails.</exception>
    public static DiffReport Compute(InventoryDatabase database, DiffOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        var from = options.From.Resolve(database.Runs);
        var to = options.To.Resolve(database.Runs);
        var glob = new TableGlob(options.TableGlob);
        var diffs = new List<TableDiff>();
        var skipped = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var names = from.Tables.Keys.Concat(to.Tables.Keys).Distinct(StringComparer.Ordinal).Where(glob.IsMatch).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (database.Catalog.Find(name) is not { } table) continue;
            if (database.TagFilters.Count > 0 && !InventoryDatabase.HasTags(table)) continue;
            if (!from.Saw(name) || !to.Saw(name))
            {
                skipped[name] = $"not collected in run {(from.Saw(name) ? to.RunId : from.RunId)}";
                continue;
            }
            var fromFiles = from.Tables[name];
            var toFiles = to.Tables[name];
            if (fromFiles.Count == 0 && toFiles.Count == 0) continue;
            var diff = CompareTable(database, table, fromFiles, toFiles, options);
            if (!diff.IsEmpty || diff.ColumnsAdded.Count > 0 || diff.ColumnsRemoved.Count > 0) diffs.Add(diff);
        }
        return new DiffReport(from, to, diffs, skipped);
    }

    private static TableDiff CompareTable(InventoryDatabase db, Table table, IReadOnlyList<string> fromFiles, IReadOnlyList<string> toFiles, DiffOptions options)
    {
        var fromScan = fromFiles.Count > 0 ? db.Scan(table, fromFiles) : $"SELECT * FROM ({db.Scan(table, toFiles)}) WHERE false";
        var toScan = toFiles.Count > 0 ? db.Scan(table, toFiles) : $"SELECT * FROM ({db.Scan(table, fromFiles)}) WHERE false";
        var filters = new List<string>();
        if (options.AccountId is not null) filters.Add("account_id = " + Sql.Literal(options.AccountId));
        if (options.Region is not null) filters.Add("region = " + Sql.Literal(options.Region));
        var where = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        db.Execute($"CREATE OR REPLACE TEMP VIEW __diff_from AS SELECT * FROM ({fromScan}){where}");
        db.Execute($"CREATE OR REPLACE TEMP VIEW __diff_to AS SELECT * FROM ({toScan}){where}");

        var fromCols = Describe(db, "__diff_from");
        var toCols = Describe(db, "__diff_to");
        var keys = InventoryDatabase.KeyColumns(table).Where(k => fromCols.ContainsKey(k) && toCols.ContainsKey(k)).ToArray();
        var compared = toCols.Keys.Where(c => fromCols.ContainsKey(c) && !options.IgnoredColumns.Contains(c) && !keys.Contains(c))
            .Where(c => fromCols[c] == toCols[c] || !IsNested(fromCols[c]) && !IsNested(toCols[c])).ToArray();
        var hasPrimaryKey = table.PrimaryKey.Count > 0 && keys.Length == InventoryDatabase.KeyColumns(table).Count;
        if (!hasPrimaryKey)
        {
            // Without a key a row is its values: rows can be added or removed but never changed.
            keys = [.. keys, .. compared];
            compared = [];
        }
        var keyExprs = keys.Select(k => (name: k, expr: Normalized(k, (toCols.GetValueOrDefault(k) ?? fromCols[k])))).ToArray();
        var keyList = string.Join(", ", keyExprs.Select(k => $"{k.expr} AS {Sql.Identifier(k.name)}"));
        var partition = string.Join(", ", keys.Select(Sql.Identifier));
        var hash = compared.Length == 0 ? "0::UBIGINT" : $"hash(row({string.Join(", ", compared.Select(c => Normalized(c, toCols[c])))}))";
        var join = string.Join(" AND ", keys.Select(k => $"f.{Sql.Identifier(k)} IS NOT DISTINCT FROM t.{Sql.Identifier(k)}"));
        var keyOut = string.Join(", ", keys.Select(k => $"coalesce(t.{Sql.Identifier(k)}, f.{Sql.Identifier(k)}) AS {Sql.Identifier(k)}"));
        db.Execute($"""
            CREATE OR REPLACE TEMP TABLE __diff_keys AS
            WITH f AS (SELECT {keyList}, {hash} AS __h FROM __diff_from QUALIFY row_number() OVER (PARTITION BY {partition}) = 1),
                 t AS (SELECT {keyList}, {hash} AS __h FROM __diff_to QUALIFY row_number() OVER (PARTITION BY {partition}) = 1)
            SELECT CASE WHEN f.__h IS NULL THEN 'added' WHEN t.__h IS NULL THEN 'removed' ELSE 'changed' END AS __change, {keyOut}
            FROM f FULL OUTER JOIN t ON {join}
            WHERE f.__h IS DISTINCT FROM t.__h
            """);
        long added = 0, removed = 0, changed = 0;
        using (var cmd = db.Connection.CreateCommand())
        {
            cmd.CommandText = "SELECT __change, count(*) FROM __diff_keys GROUP BY 1";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var n = r.GetInt64(1);
                switch (r.GetString(0))
                {
                    case "added": added = n; break;
                    case "removed": removed = n; break;
                    default: changed = n; break;
                }
            }
        }
        var diff = new TableDiff
        {
            Table = table.Name,
            KeyColumns = keys,
            AddedCount = added,
            RemovedCount = removed,
            ChangedCount = changed,
            ColumnsAdded = toCols.Keys.Where(c => !fromCols.ContainsKey(c)).ToArray(),
            ColumnsRemoved = fromCols.Keys.Where(c => !toCols.ContainsKey(c)).ToArray(),
        };
        if (options.SummaryOnly || diff.IsEmpty) return diff;

        var keySelect = string.Join(", ", keys.Select(k => $"{Sql.Identifier(k)}::VARCHAR"));
        var order = string.Join(", ", keys.Select(Sql.Identifier));
        var addedRows = new List<IReadOnlyDictionary<string, string?>>();
        var removedRows = new List<IReadOnlyDictionary<string, string?>>();
        using (var cmd = db.Connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT __change, {keySelect} FROM __diff_keys WHERE __change <> 'changed' ORDER BY __change, {order}";
            using var r = cmd.ExecuteReader();
            while (r.Read()) (r.GetString(0) == "added" ? addedRows : removedRows).Add(ReadKey(r, keys, 1));
        }
        var changes = new List<RowChange>();
        if (changed > 0)
        {
            var using_ = string.Join(", ", keys.Select(Sql.Identifier));
            var entries = string.Join(", ", compared.Select(c =>
                $"{{'col': {Sql.Literal(c)}, 'old': {Render("f", c, fromCols[c])}, 'new': {Render("t", c, toCols[c])}}}"));
            var fJoin = string.Join(" AND ", keys.Select(k => $"f.{Sql.Identifier(k)} IS NOT DISTINCT FROM c.{Sql.Identifier(k)}"));
            var tJoin = string.Join(" AND ", keys.Select(k => $"t.{Sql.Identifier(k)} IS NOT DISTINCT FROM c.{Sql.Identifier(k)}"));
            var cKeys = string.Join(", ", keys.Select(k => $"c.{Sql.Identifier(k)}::VARCHAR AS {Sql.Identifier(k)}"));
            using var cmd = db.Connection.CreateCommand();
            cmd.CommandText = $"""
                WITH c AS (SELECT {using_} FROM __diff_keys WHERE __change = 'changed'),
                     pairs AS (SELECT {cKeys}, unnest([{entries}]) AS ch
                               FROM c JOIN __diff_from f ON {fJoin} JOIN __diff_to t ON {tJoin})
                SELECT DISTINCT ON ({order}, ch.col) {order}, ch.col, ch.old, ch.new FROM pairs
                WHERE ch.old IS DISTINCT FROM ch.new
                ORDER BY {order}, ch.col
                """;
            using var r = cmd.ExecuteReader();
            var order_ = compared.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
            IReadOnlyDictionary<string, string?>? current = null;
            var cols = new List<ColumnChange>();
            while (r.Read())
            {
                var key = ReadKey(r, keys, 0);
                if (current is null || !SameKey(current, key))
                {
                    if (current is not null) changes.Add(new RowChange(current, cols.OrderBy(c => order_[c.Column]).ToArray()));
                    current = key;
                    cols = [];
                }
                var i = keys.Length;
                cols.Add(new ColumnChange(r.GetString(i), r.IsDBNull(i + 1) ? null : r.GetString(i + 1), r.IsDBNull(i + 2) ? null : r.GetString(i + 2)));
            }
            if (current is not null) changes.Add(new RowChange(current, cols.OrderBy(c => order_[c.Column]).ToArray()));
        }
        return new TableDiff
        {
            Table = diff.Table, KeyColumns = keys, AddedCount = added, RemovedCount = removed, ChangedCount = changed,
            ColumnsAdded = diff.ColumnsAdded, ColumnsRemoved = diff.ColumnsRemoved,
            Added = addedRows, Removed = removedRows, Changed = changes,
        };
    }

    private static bool SameKey(IReadOnlyDictionary<string, string?> a, IReadOnlyDictionary<string, string?> b) =>
        a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static Dictionary<string, string?> ReadKey(System.Data.Common.DbDataReader r, IReadOnlyList<string> keys, int offset)
    {
        var key = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++) key[keys[i]] = r.IsDBNull(offset + i) ? null : r.GetString(offset + i);
        return key;
    }

    private static Dictionary<string, string> Describe(InventoryDatabase db, string relation)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = $"SELECT column_name, column_type FROM (DESCRIBE {relation})";
        using var r = cmd.ExecuteReader();
        while (r.Read()) columns[r.GetString(0)] = r.GetString(1);
        return columns;
    }

    private static bool IsNested(string type) =>
        type.EndsWith(']') || type.StartsWith("STRUCT", StringComparison.Ordinal) || type.StartsWith("MAP", StringComparison.Ordinal);

    /// <summary>A column as compared: top-level maps with their entries sorted, so entry order does not count.</summary>
    private static string Normalized(string column, string type) =>
        type.StartsWith("MAP(", StringComparison.Ordinal)
            ? $"map_from_entries(list_sort(map_entries({Sql.Identifier(column)})))"
            : Sql.Identifier(column);

    private static string Render(string side, string column, string type)
    {
        var c = side + "." + Sql.Identifier(column);
        if (type.StartsWith("MAP(", StringComparison.Ordinal)) return $"to_json(map_from_entries(list_sort(map_entries({c}))))::VARCHAR";
        return IsNested(type) ? $"to_json({c})::VARCHAR" : type == "VARCHAR" ? c : $"CAST({c} AS VARCHAR)";
    }
}
