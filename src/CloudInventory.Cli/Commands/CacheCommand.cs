using System.CommandLine;
using System.Globalization;
using CloudInventory.Cli.Settings;
using CloudInventory.Query;
using CloudInventory.Storage;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv cache prune</c>: frees the local caches of S3 stores.</summary>
internal static class CacheCommand
{
    public static Command Create(Func<DateOnly> today)
    {
        var command = new Command("cache", "The local caches of s3:// stores (one directory per store under --cache-dir).");
        command.Subcommands.Add(CreatePrune(today));
        return command;
    }

    private static Command CreatePrune(Func<DateOnly> today)
    {
        var store = new Option<string?>("--store") { Description = "Only the cache of this s3://bucket/prefix store, after syncing its run manifests; default every cached store, by its cached manifests." };
        var all = new Option<bool>("--all") { Description = "Remove everything cached (manifests too), not only what no manifest lists." };
        var settings = new CommandSettings(CliSettings.CacheDir, CliSettings.EndpointUrl, CliSettings.OlderThan with
        {
            Help = $"Also remove cached data files not used since this age ({CloudInventory.Text.Age.Forms}) or date (YYYY-MM-DD); they are downloaded again when needed.",
        });
        var command = new Command("prune", "Remove cached files that no current run manifest lists (temporary files of interrupted downloads too), optionally those unused for a while, or everything.")
        {
            store, all,
        };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var values = settings.Resolve(parse);
            try
            {
                DateTime? cutoff = values.Text(CliSettings.OlderThan) is { } age ? Cutoff(age, today()) : null;
                var baseDirectory = S3StoreCache.BaseDirectory(values.Text(CliSettings.CacheDir));
                var directories = new List<(string Name, string Directory)>();
                long files = 0, bytes = 0;
                if (parse.GetValue(store) is { } location)
                {
                    if (!location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
                    {
                        error.WriteLine($"error: --store {location} is not an s3:// store; only S3 stores are cached.");
                        return 2;
                    }
                    S3InventoryStoreOptions options;
                    try
                    {
                        options = InventoryStores.S3Options(location, values.Text(CliSettings.EndpointUrl));
                    }
                    catch (InventoryStoreException e)
                    {
                        error.WriteLine($"error: {e.Message}");
                        return 2;
                    }
                    var directory = S3StoreCache.DirectoryFor(baseDirectory, options);
                    if (!parse.GetValue(all))
                    {
                        using var cache = S3StoreCache.Create(options, baseDirectory);
                        cache.SyncManifestsAsync().GetAwaiter().GetResult();
                        foreach (var (path, size) in cache.DroppedManifests)
                        {
                            output.WriteLine($"removed {location}/{path} ({size.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
                            files++;
                            bytes += size;
                        }
                    }
                    directories.Add((location, directory));
                }
                else if (Directory.Exists(baseDirectory))
                {
                    // Bucket folders only (never a link, never _hashes); a bucket name cannot start with an underscore.
                    foreach (var bucket in Folders(baseDirectory).Where(b => !Path.GetFileName(b).StartsWith('_')))
                    {
                        foreach (var prefix in Folders(bucket))
                        {
                            directories.Add((Path.GetRelativePath(baseDirectory, prefix).Replace('\\', '/'), prefix));
                        }
                    }
                }
                foreach (var (name, directory) in directories)
                {
                    foreach (var (path, size) in S3StoreCache.Prune(directory, cutoff, parse.GetValue(all)))
                    {
                        output.WriteLine($"removed {name}/{path} ({size.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
                        files++;
                        bytes += size;
                    }
                    if (parse.GetValue(all) && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any()) Directory.Delete(directory);
                }
                if (parse.GetValue(all) && parse.GetValue(store) is null && Directory.Exists(S3StoreCache.HashesDirectory(baseDirectory)))
                {
                    Directory.Delete(S3StoreCache.HashesDirectory(baseDirectory), recursive: true);
                }
                output.WriteLine($"{files} files removed, {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes freed ({baseDirectory}).");
                return 0;
            }
            catch (InventoryQueryException e)
            {
                error.WriteLine("error: " + CliApp.OneLine(e.Message));
                return 2;
            }
        });
        return command;
    }

    private static IEnumerable<string> Folders(string directory) =>
        new DirectoryInfo(directory).EnumerateDirectories().Where(d => d.LinkTarget is null).Select(d => d.FullName).Order(StringComparer.Ordinal);

    private static DateTime Cutoff(string age, DateOnly today)
    {
        try
        {
            return SnapshotReference.ParseSince(age, today).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }
        catch (InventoryQueryException e)
        {
            throw new CliUsageException($"--older-than expects a date (YYYY-MM-DD) or a duration: {e.Message}", e);
        }
    }
}
