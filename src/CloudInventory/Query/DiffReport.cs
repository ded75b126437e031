namespace CloudInventory.Query;

/// <summary>The result of <see cref="InventoryDiff.Compute"/>.</summary>
/// <param name="From">The older run.</param>
/// <param name="To">The newer run.</param>
/// <param name="Tables">The tables that differ, by name.</param>
/// <param name="Skipped">Tables that one of the runs did not collect, with the reason.</param>
/// <param name="NotCompared">
/// Units (table, account, region) that one of the runs did not observe (failed, skipped, or missing from a run that
/// was not complete): their rows are left out of the comparison, so a failure never reads as removed resources.
/// </param>
public sealed record DiffReport(InventoryRun From, InventoryRun To, IReadOnlyList<TableDiff> Tables, IReadOnlyDictionary<string, string> Skipped,
    IReadOnlyList<UnitNotCompared> NotCompared);
