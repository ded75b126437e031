using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using CloudInventory.Cli.Settings;
using CloudInventory.Query;
using CloudInventory.Storage;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv store gc</c>: removes what killed collection runs left in a store (run files no manifest
/// lists, stale temporary files and incomplete uploads). Exit codes: 0 done, 3 partial (a partition was
/// left alone because a manifest in it cannot be read or used, or a folder cannot be read), 2 bad options or the store
/// cannot be used, 130 interrupted. <c>cloudinv store check</c>: see <c>StoreCommand.Check.cs</c>.
/// </summary>
internal static partial class StoreCommand
{
    public static Command Create(TimeProvider? timeProvider = null)
    {
        var command = new Command("store", "Maintain a store (a directory or s3://bucket/prefix).");
        command.Subcommands.Add(CreateGc(timeProvider ?? TimeProvider.System));
        command.Subcommands.Add(CreateCheck(timeProvider ?? TimeProvider.System));
        return command;
    }

    private static Command CreateGc(TimeProvider timeProvider)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be removed; remove nothing." };
        var settings = new CommandSettings(CliSettings.Store, CliSettings.EndpointUrl, CliSettings.OlderThan with
        {
            Help = $"Only remove what was last written longer ago than this ({CloudInventory.Text.Age.Forms}; 0 for everything). It must exceed your longest collection run, whose files are unlisted until it ends.",
            Default = "6h",
        }).WithFormats(QueryResultWriter.RowFormats);
        var command = new Command("gc", "Remove data files of runs that never wrote their manifest (killed runs), stale temporary files and incomplete uploads. Files any manifest lists, manifests, and files outside the store layout are never removed.")
        {
            dryRun,
        };
        settings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var values = settings.Resolve(parse);
            var location = values.Text(CliSettings.Store)!;
            IInventoryStore inventoryStore;
            TimeSpan grace;
            try
            {
                grace = values.Age(CliSettings.OlderThan)!.Length(timeProvider.GetUtcNow());
                inventoryStore = Open(location, values.Text(CliSettings.EndpointUrl));
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            return await RunOnStoreAsync(inventoryStore, error, "interrupted: some files may have been removed; run gc again to finish.", async () =>
            {
                var collector = new StoreGarbageCollector(inventoryStore, timeProvider);
                var result = await collector.CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = grace, DryRun = parse.GetValue(dryRun) }, cancellationToken).ConfigureAwait(false);
                var exitCode = result.IsPartial ? 3 : 0;
                switch (values.Format)
                {
                    case "json": await output.WriteLineAsync(ToJson(result, inventoryStore.Location, exitCode)).ConfigureAwait(false); break;
                    case "table": await WriteTextAsync(output, result, inventoryStore.Location).ConfigureAwait(false); break;
                    default:
                        var verb = result.DryRun ? "would_remove" : "removed";
                        QueryResultWriter.WriteRows(["action", "path", "bytes"], result.OrphanFiles.Select(f => new object?[] { verb, f.Path, f.Bytes })
                            .Concat(result.RecentFiles.Select(f => new object?[] { "kept_recent", f.Path, f.Bytes }))
                            .Concat(result.BlockedFiles.Select(f => new object?[] { "kept_blocked", f.Path, f.Bytes })).ToArray(), values.Format, output, values.Terminal);
                        break;
                }
                foreach (var m in result.UnreadableManifests)
                {
                    await error.WriteLineAsync($"warning: {m.Reason}; nothing unlisted in report_date={Day(m.ReportDate)} was removed. Run cloudinv store check --repair (it quarantines that manifest), then gc again.").ConfigureAwait(false);
                }
                foreach (var skipped in result.Skipped)
                {
                    await error.WriteLineAsync(skipped.Kind == SkippedEntryKind.UnreadableFolder
                        ? $"warning: {skipped.Path} cannot be read ({skipped.Detail}); nothing in it was removed."
                        : $"warning: {skipped.Path} is skipped ({skipped.Detail}); links and keys outside the store layout are never followed or removed.").ConfigureAwait(false);
                }
                return exitCode;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Parses an age in the shared grammar (<see cref="CloudInventory.Text.Age"/>) as a length back from now.</summary>
    /// <exception cref="FormatException">It is not one.</exception>
    internal static TimeSpan ParseAge(string text) => CloudInventory.Text.Age.Parse(text).Length(DateTimeOffset.UtcNow);

    private static IInventoryStore Open(string location, string? endpointUrl)
    {
        try
        {
            return InventoryStores.OpenExisting(location, endpointUrl);
        }
        catch (InventoryStoreException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static async Task WriteTextAsync(TextWriter output, StoreGarbageCollectionResult result, string location)
    {
        var verb = result.DryRun ? "would remove" : "removed";
        foreach (var file in result.OrphanFiles)
        {
            await output.WriteLineAsync($"{verb} {file.Path} ({Bytes(file.Bytes)})").ConfigureAwait(false);
        }
        var age = $"older than {FormatAge(result.GracePeriod)}";
        await output.WriteLineAsync(result.DryRun
            ? $"Dry run on {location}: {Count(result.OrphanFiles.Count, "orphan file")} ({Bytes(result.OrphanBytes)}) {age} would be removed; stale uploads are not looked at in a dry run."
            : $"Store {location}: removed {Count(result.OrphanFiles.Count, "orphan file")} ({Bytes(result.OrphanBytes)}) {age} and {Count(result.StaleUploads ?? 0, "stale upload")} (temporary files, incomplete multipart uploads).").ConfigureAwait(false);
        if (result.RecentFiles.Count > 0)
        {
            await output.WriteLineAsync($"Kept {Count(result.RecentFiles.Count, "unlisted file")} ({Bytes(result.RecentFiles.Sum(f => f.Bytes))}) younger than {FormatAge(result.GracePeriod)}: a collection may still be running.").ConfigureAwait(false);
        }
        if (result.BlockedFiles.Count > 0)
        {
            await output.WriteLineAsync($"Kept {Count(result.BlockedFiles.Count, "unlisted file")} ({Bytes(result.BlockedFiles.Sum(f => f.Bytes))}) in partitions with an unreadable manifest.").ConfigureAwait(false);
        }
    }

    private static string ToJson(StoreGarbageCollectionResult result, string location, int exitCode)
    {
        static JsonArray Paths(IEnumerable<StoredObject> files) => new([.. files.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["bytes"] = f.Bytes })]);
        var node = new JsonObject
        {
            ["store"] = location,
            ["dry_run"] = result.DryRun,
            ["older_than_seconds"] = (long)result.GracePeriod.TotalSeconds,
            ["orphan_files"] = new JsonObject
            {
                ["count"] = result.OrphanFiles.Count,
                ["bytes"] = result.OrphanBytes,
                ["files"] = Paths(result.OrphanFiles),
            },
            ["stale_uploads"] = result.StaleUploads is { } stale ? new JsonObject { ["count"] = stale } : null,
            ["kept_recent"] = new JsonObject { ["count"] = result.RecentFiles.Count, ["bytes"] = result.RecentFiles.Sum(f => f.Bytes) },
            ["kept_blocked"] = new JsonObject { ["count"] = result.BlockedFiles.Count, ["bytes"] = result.BlockedFiles.Sum(f => f.Bytes) },
            ["unreadable_manifests"] = new JsonArray([.. result.UnreadableManifests.Select(m => (JsonNode)new JsonObject
            {
                ["path"] = m.Path,
                ["report_date"] = Day(m.ReportDate),
                ["reason"] = m.Reason,
            })]),
            ["exit_code"] = exitCode,
        };
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString("N0", CultureInfo.InvariantCulture)} {noun}s";

    private static string Bytes(long bytes) => bytes == 1 ? "1 byte" : $"{bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes";

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string FormatAge(TimeSpan age) =>
        age == TimeSpan.Zero ? "0s"
        : age.Ticks % TimeSpan.TicksPerDay == 0 ? $"{age.Ticks / TimeSpan.TicksPerDay}d"
        : age.Ticks % TimeSpan.TicksPerHour == 0 ? $"{age.Ticks / TimeSpan.TicksPerHour}h"
        : age.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{age.Ticks / TimeSpan.TicksPerMinute}min"
        : $"{(long)age.TotalSeconds}s";

    /// <summary>
    /// Runs a store command's work and turns what the store can throw into one line and an exit code: 2 for a store that
    /// cannot be used, 130 when interrupted (saying what <paramref name="interrupted"/> says was left); the store is disposed.
    /// </summary>
    private static async Task<int> RunOnStoreAsync(IInventoryStore inventoryStore, TextWriter error, string interrupted, Func<Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (InventoryStoreException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            await error.WriteLineAsync($"error: the store {inventoryStore.Location} cannot be used ({FirstLine(e.Message)}). Check the bucket, credentials and endpoint.").ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync(interrupted).ConfigureAwait(false);
            return 130;
        }
        finally
        {
            (inventoryStore as IDisposable)?.Dispose();
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
