using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using CloudInventory.Storage;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv store check [--repair] [--json]</c>: verifies a whole store (manifests, every listed file's size and SHA-256,
/// orphans, links, foreign files) and says what <c>store gc</c> would do. Exit codes: 0 clean, 3 problems found,
/// 2 bad options or the store cannot be used, 130 interrupted.
/// </summary>
internal static partial class StoreCommand
{
    private static Command CreateCheck(TimeProvider timeProvider)
    {
        var store = new Option<string>("--store")
        {
            Description = "The store: a directory or s3://bucket/prefix.",
            DefaultValueFactory = _ => QueryCommand.DefaultStore,
        };
        var repair = new Option<bool>("--repair") { Description = "Move manifests that are not used (unreadable, bad, misplaced, conflicting) to _quarantine/ in the store, where queries never look. Listed files are never deleted or changed." };
        var olderThan = new Option<string>("--older-than")
        {
            Description = "The grace period of the store gc preview (e.g. 90min, 6h, 2d).",
            DefaultValueFactory = _ => "6h",
        };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "For an s3:// store: the S3 endpoint; default $AWS_ENDPOINT_URL_S3, then $AWS_ENDPOINT_URL, then AWS." };
        var command = new Command("check", "Verify a store: every manifest, every listed file's size and SHA-256, orphans, symbolic links, foreign files; and say what store gc would do. Exit 0 clean, 3 problems found.")
        {
            store, repair, olderThan, json, endpoint,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            IInventoryStore inventoryStore;
            TimeSpan grace;
            try
            {
                grace = ParseAge(parse.GetValue(olderThan)!);
                inventoryStore = Open(parse.GetValue(store)!, parse.GetValue(endpoint));
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            return await RunOnStoreAsync(inventoryStore, error, "interrupted: nothing was changed except manifests already quarantined.", async () =>
            {
                var report = await new StoreIntegrityCheck(inventoryStore, timeProvider).RunAsync(grace, parse.GetValue(repair), cancellationToken).ConfigureAwait(false);
                var exitCode = report.IsClean ? 0 : 3;
                if (parse.GetValue(json)) await output.WriteLineAsync(CheckJson(report, exitCode)).ConfigureAwait(false);
                else await WriteCheckTextAsync(output, report).ConfigureAwait(false);
                return exitCode;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static string KindName(StoreProblemKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static async Task WriteCheckTextAsync(TextWriter output, StoreCheckReport report)
    {
        foreach (var finding in report.Findings)
        {
            await output.WriteLineAsync($"{(finding.IsProblem ? "problem" : "note"),-7} {KindName(finding.Kind),-19} {finding.Path}: {finding.Detail}").ConfigureAwait(false);
        }
        foreach (var (from, to) in report.Quarantined)
        {
            await output.WriteLineAsync($"quarantined {from} -> {to}").ConfigureAwait(false);
        }
        var gc = report.GarbageCollection;
        await output.WriteLineAsync(
            $"Store {report.Location}: {Count(report.ManifestsInUse, "manifest")} in use, {Count(report.FilesVerified, "listed file")} verified ({Bytes(report.BytesHashed)} hashed); " +
            (report.IsClean ? "no problems." : $"{Count(report.Problems.Count, "problem")}.")).ConfigureAwait(false);
        await output.WriteLineAsync(
            $"store gc --older-than {FormatAge(gc.GracePeriod)} would remove {Count(gc.OrphanFiles.Count, "orphan file")} ({Bytes(gc.OrphanBytes)}) and keep {Count(gc.RecentFiles.Count, "recent unlisted file")} and {Count(gc.BlockedFiles.Count, "unlisted file")} of partitions or runs with a manifest that is not used." +
            (report.Quarantined.Count > 0 ? "" : report.Findings.Any(f => f.Kind is StoreProblemKind.UnreadableManifest or StoreProblemKind.BadManifest or StoreProblemKind.MisplacedManifest or StoreProblemKind.ConflictingShards) ? " Run with --repair to quarantine the manifests that are not used." : "")).ConfigureAwait(false);
    }

    private static string CheckJson(StoreCheckReport report, int exitCode)
    {
        var gc = report.GarbageCollection;
        var node = new JsonObject
        {
            ["store"] = report.Location,
            ["clean"] = report.IsClean,
            ["manifests_in_use"] = report.ManifestsInUse,
            ["files_verified"] = report.FilesVerified,
            ["bytes_hashed"] = report.BytesHashed,
            ["problems"] = new JsonArray([.. report.Findings.Where(f => f.IsProblem).Select(Finding)]),
            ["notes"] = new JsonArray([.. report.Findings.Where(f => !f.IsProblem).Select(Finding)]),
            ["quarantined"] = new JsonArray([.. report.Quarantined.Select(q => (JsonNode)new JsonObject { ["from"] = q.From, ["to"] = q.To })]),
            ["gc_would"] = new JsonObject
            {
                ["older_than_seconds"] = (long)gc.GracePeriod.TotalSeconds,
                ["remove"] = new JsonArray([.. gc.OrphanFiles.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["bytes"] = f.Bytes })]),
                ["keep_recent"] = gc.RecentFiles.Count,
                ["keep_blocked"] = gc.BlockedFiles.Count,
            },
            ["exit_code"] = exitCode,
        };
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

        static JsonNode Finding(StoreProblem f) => new JsonObject { ["kind"] = KindName(f.Kind), ["path"] = f.Path, ["detail"] = f.Detail };
    }
}
