using System.Diagnostics;
using System.Text.Json;

namespace CloudInventory.Tests.Catalog.Generation;

/// <summary>Checks SQL with npm's dt-sql-parser (its TrinoSQL and HiveSQL grammars) through eng/parse-sql.mjs.</summary>
internal static class SqlParser
{
    /// <summary>The statements that do not parse, as "name: errors".</summary>
    public static IReadOnlyList<string> Check(IEnumerable<(string Name, string Dialect, string Sql)> statements)
    {
        var npm = Path.Combine(RepositoryRoot.Path, "eng", "npm");
        Assert.True(File.Exists(Path.Combine(npm, "node_modules", "dt-sql-parser", "package.json")),
            "dt-sql-parser is not installed in eng/npm: run `bash eng/test.sh` (it runs `npm ci` there)");
        var input = JsonSerializer.Serialize(statements.Select(s => new { name = s.Name, dialect = s.Dialect, sql = s.Sql }));
        var start = new ProcessStartInfo("node", [Path.Combine(RepositoryRoot.Path, "eng", "parse-sql.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"eng/parse-sql.mjs failed: {stderr.Result}");
        using var doc = JsonDocument.Parse(stdout.Result);
        return doc.RootElement.EnumerateArray()
            .Select(f => $"{f.GetProperty("name").GetString()}: {string.Join("; ", f.GetProperty("errors").EnumerateArray().Select(e => e.GetString()))}")
            .ToArray();
    }
}
