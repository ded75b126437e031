using CloudInventory.Catalog;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Where each column of a table takes its value from, worked out once per table for the row reader: the row's own
/// members, the row itself (single-value rows), members of the enclosing objects (carried), and the run.
/// </summary>
internal sealed class TableRowLayout
{
    public TableRowLayout(Table table)
    {
        Table = table;
        Segments = table.RowPath.Segments.ToArray();
        var rowPath = table.RowPath.ToString();
        var carried = new List<CarriedColumn>();
        var whole = new List<int>();
        var parent = new List<(int, string)>();
        var enrichment = new List<int>();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            switch (column.Origin)
            {
                case ColumnOrigin.Api when column.SourcePath is { } path:
                    if (path == rowPath) whole.Add(i);
                    else ByMember.TryAdd(Segments.Length == 0 ? path : path[(rowPath.Length + 1)..], i);
                    break;
                case ColumnOrigin.Carried when column.SourcePath is { } path:
                    var parsed = RowPath.Parse(path);
                    carried.Add(new CarriedColumn(parsed.Segments.Count - 1, parsed.Segments[^1].Member, i));
                    break;
                case ColumnOrigin.Parent:
                    var source = column.SourcePath ?? "";
                    parent.Add((i, source[(source.IndexOf('.', StringComparison.Ordinal) + 1)..]));
                    break;
                case ColumnOrigin.Enrichment:
                    enrichment.Add(i);
                    break;
                case ColumnOrigin.System:
                    if (column.Name == "account_id") AccountColumn = i;
                    else if (column.Name == "region") RegionColumn = i;
                    else if (column.Name == "report_time") ReportTimeColumn = i;
                    break;
            }
        }
        Carried = carried.ToArray();
        ParentColumns = parent.ToArray();
        EnrichmentColumns = enrichment.ToArray();
        WholeRowColumns = whole.ToArray();
        var firstList = Array.FindIndex(Segments, s => s.IsList);
        // Malformed values are reported within the first list's items, or anywhere when fields are carried from outside them.
        ReportLevel = firstList < 0 || Carried.Any(c => c.Level <= firstList) ? -1 : firstList;
    }

    /// <summary>The table.</summary>
    public Table Table { get; }

    /// <summary>The row path's segments.</summary>
    public RowPathSegment[] Segments { get; }

    /// <summary>The column each member of a row fills.</summary>
    public Dictionary<string, int> ByMember { get; } = new(StringComparer.Ordinal);

    /// <summary>The columns whose value is the row itself (rows that are single values).</summary>
    public int[] WholeRowColumns { get; }

    /// <summary>The columns carried from enclosing objects.</summary>
    public CarriedColumn[] Carried { get; }

    /// <summary>The columns copied from the parent row (child tables): position and the parent's column name.</summary>
    public (int Column, string ParentColumn)[] ParentColumns { get; }

    /// <summary>The columns enrichment calls fill (written by the collector once a page's calls are done).</summary>
    public int[] EnrichmentColumns { get; }

    /// <summary>The run's columns, or -1.</summary>
    public int AccountColumn { get; } = -1;

    /// <inheritdoc cref="AccountColumn"/>
    public int RegionColumn { get; } = -1;

    /// <inheritdoc cref="AccountColumn"/>
    public int ReportTimeColumn { get; } = -1;

    /// <summary>The list segment within whose items malformed values are reported; -1: anywhere in the output.</summary>
    public int ReportLevel { get; }

    /// <summary>A column filled from member <paramref name="Member"/> of the enclosing object reached after <paramref name="Level"/> path segments.</summary>
    public readonly record struct CarriedColumn(int Level, string Member, int Column);
}
