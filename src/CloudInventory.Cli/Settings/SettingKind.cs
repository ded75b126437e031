namespace CloudInventory.Cli.Settings;

/// <summary>What kind of value a setting holds, which decides its flag's shape and how its text is read.</summary>
internal enum SettingKind
{
    /// <summary>One text value.</summary>
    Text,

    /// <summary>A list: comma-separated or repeated flags, a YAML list, or a comma-separated environment variable.</summary>
    List,

    /// <summary>On or off: a flag without a value; true/false (yes/no, 1/0, on/off) elsewhere.</summary>
    Switch,

    /// <summary>A positive whole number.</summary>
    Number,
}
