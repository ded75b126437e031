using System.Globalization;
using System.Text.Json;

namespace CloudInventory.Storage;

/// <summary>
/// The version of the stored-data format (layout, manifests, Parquet schemas), written as <c>format_version</c>
/// in every run manifest. The compatibility rule: a cloudinv reads every store whose format is at most its
/// <see cref="Current"/> (a manifest without the field is format 1, as written before the field existed), and
/// refuses a manifest of a newer format with one line saying to upgrade. The number goes up only when an older
/// cloudinv would misread the new data; additive changes (a new table, a new column) keep it.
/// </summary>
public static class StoreFormat
{
    /// <summary>The format this cloudinv writes and the newest it reads.</summary>
    public const int Current = 1;

    /// <summary>The format of a manifest that has no <c>format_version</c> field (written before it existed).</summary>
    public const int Unversioned = 1;

    /// <summary>Why a manifest of <paramref name="formatVersion"/> cannot be read by this cloudinv, or null when it can.</summary>
    public static string? RefusalFor(int formatVersion) => formatVersion switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"format_version {formatVersion} is not a store format (formats start at 1)"),
        > Current => string.Create(CultureInfo.InvariantCulture,
            $"it is in store format {formatVersion}, written by a newer cloudinv; this cloudinv {ToolVersionInfo.Current.Version} reads store formats up to {Current}: upgrade cloudinv to read this store"),
        _ => null,
    };

    /// <summary>Why the manifest <paramref name="manifest"/> (a JSON object) cannot be read by this cloudinv, or null when it can: checked before anything else in it is read.</summary>
    public static string? RefusalFor(JsonElement manifest)
    {
        if (manifest.ValueKind != JsonValueKind.Object || !manifest.TryGetProperty("format_version", out var value)) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var version)
            ? RefusalFor(version)
            : $"format_version {value.GetRawText()} is not an integer";
    }
}
