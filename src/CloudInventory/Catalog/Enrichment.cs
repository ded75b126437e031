using System.Text.Json;

namespace CloudInventory.Catalog;

/// <summary>
/// A per-row follow-up call whose input comes from the row and whose result is nested into one
/// column (or, when <see cref="Flatten"/> is set, spread over columns). A failing enrichment leaves
/// its column null and the error is recorded; it never drops the row.
/// </summary>
public sealed class Enrichment
{
    internal Enrichment(string name, string operation, JsonElement fixedInput, IReadOnlyList<InputBinding> bindings,
        RowPath? resultPath, bool flatten, IReadOnlyList<string> absentOn, ColumnType type, ColumnConversion conversion)
    {
        Name = name;
        Operation = operation;
        FixedInput = fixedInput;
        Bindings = bindings;
        ResultPath = resultPath;
        Flatten = flatten;
        AbsentOn = absentOn;
        Type = type;
        Conversion = conversion;
    }

    /// <summary>The column name (or, when flattened, the enrichment's name), e.g. <c>encryption</c>.</summary>
    public string Name { get; }

    /// <summary>The operation called per row, e.g. <c>GetBucketEncryption</c>.</summary>
    public string Operation { get; }

    /// <summary>Fixed input parameters (a JSON object in the model's member names).</summary>
    public JsonElement FixedInput { get; }

    /// <summary>Input parameters taken from the row.</summary>
    public IReadOnlyList<InputBinding> Bindings { get; }

    /// <summary>The part of the output to keep (e.g. <c>ServerSideEncryptionConfiguration</c>, <c>clusters[]</c> takes the first element), or null for the whole output.</summary>
    public RowPath? ResultPath { get; }

    /// <summary>True when the result's fields become top-level columns instead of one nested column.</summary>
    public bool Flatten { get; }

    /// <summary>Error codes that mean "nothing configured" (e.g. <c>NoSuchBucketPolicy</c>): the column is null and no error is recorded.</summary>
    public IReadOnlyList<string> AbsentOn { get; }

    /// <summary>The type of the result (a struct when flattened).</summary>
    public ColumnType Type { get; }

    /// <summary>How the result becomes the column value (e.g. a tag set becomes a map, a policy becomes JSON text).</summary>
    public ColumnConversion Conversion { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Operation})";
}
