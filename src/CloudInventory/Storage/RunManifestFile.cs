namespace CloudInventory.Storage;

/// <summary>A data file a run published.</summary>
/// <param name="Table">The table name, e.g. <c>aws_ec2_instances</c>.</param>
/// <param name="Path">The file's path relative to the store root.</param>
/// <param name="Rows">The rows in the file.</param>
/// <param name="Bytes">The file size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the file, lowercase hex.</param>
public sealed record RunManifestFile(string Table, string Path, long Rows, long Bytes, string Sha256);
