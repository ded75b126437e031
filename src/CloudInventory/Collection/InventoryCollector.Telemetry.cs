using CloudInventory.Collection.Internal;
using CloudInventory.Storage;
using Microsoft.Extensions.Logging;

namespace CloudInventory.Collection;

public sealed partial class InventoryCollector
{
    /// <summary>At the end of a run: its errors, throttling per service and the finish line to the log, and the run's metrics.</summary>
    private static void RecordRun(ILogger logger, RunManifest manifest, IReadOnlyList<CollectionError> errors, IReadOnlyDictionary<string, long> throttlesByService, long rows)
    {
        foreach (var error in errors)
        {
            var service = error.Operation.Split(':')[0];
            CollectorMetrics.Error(service, error.ErrorCode);
            if (error.Table is null) continue; // account-level: logged when the account was entered
            if (WorkUnitCollector.IsSkip(error.ErrorCode)) CollectorLog.TableSkipped(logger, error.Table, error.AccountId, error.Region, error.Operation, error.ErrorCode);
            else CollectorLog.TableError(logger, error.Table, error.AccountId, error.Region, error.Operation, error.ErrorCode, error.Attempts, error.Message);
        }
        foreach (var (service, count) in throttlesByService.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            CollectorLog.Throttled(logger, manifest.RunId, service, count);
        }
        var status = manifest.Status.ToString().ToLowerInvariant();
        CollectorLog.RunFinished(logger, manifest.RunId, status, manifest.DurationMs, rows, manifest.Files.Count, manifest.ApiCalls, manifest.Throttles, manifest.Errors);
        CollectorMetrics.RunEnded(status, TimeSpan.FromMilliseconds(manifest.DurationMs), rows, manifest.FinishedAt);
    }
}
