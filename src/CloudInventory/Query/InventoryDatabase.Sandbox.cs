using System.Data.Common;
using CloudInventory.Catalog;
using CloudInventory.Query.Internal;
using DuckDB.NET.Data;

namespace CloudInventory.Query;

/// <summary>The dashboard's entry points: sandboxed SQL, interruption, and relations over chosen runs.</summary>
public sealed partial class InventoryDatabase
{
    /// <summary>
    /// Runs exactly one read-only statement that may reach only the store's views: on top of the read-only check of
    /// <see cref="ExecuteQuery"/>, file and environment functions (<c>read_text</c>, <c>read_csv</c>, <c>glob</c>,
    /// <c>getenv</c>, <c>duckdb_settings</c>, …), file paths in <c>FROM</c> and several statements are refused.
    /// </summary>
    /// <exception cref="InventoryQueryException">The SQL is refused (one message saying why) or fails.</exception>
    public DbDataReader ExecuteSandboxedQuery(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        SqlSandbox.Check(_connection, sql);
        return ExecuteQuery(sql);
    }

    /// <summary>Interrupts the statement running on this database (from another thread), e.g. when it exceeds its time.</summary>
    public void Interrupt()
    {
        using var cmd = _connection.CreateCommand();
        cmd.Cancel();
    }

    /// <summary>
    /// A SQL relation (<c>SELECT … FROM read_parquet(…)</c>) over the table's files in exactly the given runs, with the
    /// database's tag scopes applied; for an S3 store only those files are downloaded. A relation over runs without
    /// rows of the table is empty and has the table's columns.
    /// </summary>
    /// <param name="table">The catalog table.</param>
    /// <param name="runs">The visible runs to read (e.g. one run for a snapshot, the last run per day for a trend).</param>
    /// <param name="unionByName">
    /// Unify the files' schemas where they differ (files of one schema are read without <c>union_by_name</c>, the same answer
    /// for less memory: see <c>ScanUnifyingIfNeeded</c>); false is cheaper when the query reads only columns every file has.
    /// </param>
    public string RunsRelation(Table table, IEnumerable<InventoryRun> runs, bool unionByName = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(runs);
        var files = runs.SelectMany(r => r.Tables.GetValueOrDefault(table.Name) ?? []).ToArray();
        if (files.Length == 0) return EmptySelect(table);
        return unionByName ? ScanUnifyingIfNeeded(table, files) : Scan(table, files, unionByName: false);
    }

    /// <summary>Runs SQL the caller generated (not user text: it is not checked) and returns its reader.</summary>
    /// <exception cref="InventoryQueryException">The SQL fails.</exception>
    public DbDataReader ExecuteGenerated(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            return cmd.ExecuteReader();
        }
        catch (DuckDBException e)
        {
            throw Explain(e);
        }
    }
}
