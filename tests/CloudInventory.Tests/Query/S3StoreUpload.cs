using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Query;

/// <summary>
/// Copies a <see cref="TestStore"/> to an S3 store the way a collector would publish it: the data files
/// and errors files first, then each manifest, with the real sizes and SHA-256 of its files filled in.
/// </summary>
internal static class S3StoreUpload
{
    public static async Task<IReadOnlyList<string>> UploadAsync(TestStore local, S3InventoryStore s3)
    {
        var uploaded = new List<string>();
        foreach (var manifestFile in Directory.EnumerateFiles(Path.Combine(local.Root, "_runs"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestFile))!.AsObject();
            foreach (var file in manifest["files"]!.AsArray())
            {
                var path = file!["path"]!.GetValue<string>();
                var published = await s3.PublishFileAsync(path, Path.Combine(local.Root, path));
                file["bytes"] = published.Bytes;
                file["sha256"] = published.Sha256;
                uploaded.Add(path);
            }
            var relative = Path.GetRelativePath(local.Root, manifestFile).Replace('\\', '/');
            var errors = Path.Combine(local.Root, "cloudinv", "errors", Path.GetFileName(Path.GetDirectoryName(manifestFile)!), Path.GetFileNameWithoutExtension(manifestFile) + ".parquet");
            if (File.Exists(errors))
            {
                var path = Path.GetRelativePath(local.Root, errors).Replace('\\', '/');
                await s3.PublishFileAsync(path, errors);
                uploaded.Add(path);
            }
            await s3.PublishAsync(relative, System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
            uploaded.Add(relative);
        }
        return uploaded;
    }

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
