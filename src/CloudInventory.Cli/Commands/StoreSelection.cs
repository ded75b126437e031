using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;
using CloudInventory.Query;
using CloudInventory.Storage;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// The store settings of the query commands: <c>store</c> (a directory or <c>s3://bucket/prefix</c>), for S3 stores
/// <c>cache_dir</c> and <c>endpoint_url</c>, and <c>where_tag</c>; and opening the store they name.
/// </summary>
internal static class StoreSelection
{
    /// <summary>The settings a query command binds.</summary>
    public static Setting[] Settings => [CliSettings.Store, CliSettings.CacheDir, CliSettings.EndpointUrl, CliSettings.WhereTag];

    public static string Location(SettingValues values) => values.Text(CliSettings.Store) ?? CliSettings.Store.Default!;

    public static IReadOnlyList<TagFilter> Tags(SettingValues values)
    {
        try
        {
            return values.List(CliSettings.WhereTag).Select(TagFilter.Parse).ToArray();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InventoryQueryException)
        {
            throw new CliUsageException($"--where-tag: {e.Message}", e);
        }
    }

    /// <summary>The query options the settings name; warnings (files or manifests left out) go to <paramref name="warnings"/>.</summary>
    /// <exception cref="CliUsageException">The S3 location or endpoint is not usable.</exception>
    public static InventoryDatabaseOptions Options(SettingValues values, string? exportPath = null, TextWriter? warnings = null)
    {
        var location = Location(values);
        var endpoint = values.Text(CliSettings.EndpointUrl);
        var cacheDirectory = values.Text(CliSettings.CacheDir);
        var sink = warnings ?? Console.Error;
        try
        {
            return new InventoryDatabaseOptions
            {
                TagFilters = Tags(values),
                ExportPath = exportPath,
                CacheDirectory = cacheDirectory,
                HashCacheDirectory = S3StoreCache.HashesDirectory(S3StoreCache.BaseDirectory(cacheDirectory)),
                S3 = endpoint is not null && InventoryStores.IsS3(location) ? InventoryStores.S3Options(location, endpoint) : null,
                Warning = message => sink.WriteLine("warning: " + message),
            };
        }
        catch (InventoryStoreException e)
        {
            throw new CliUsageException($"{e.Message} (store {location})", e);
        }
    }

    /// <summary>Opens the store; a store that cannot be used is bad usage (exit 2).</summary>
    /// <exception cref="CliUsageException">The store is missing, empty or unusable.</exception>
    public static InventoryDatabase Open(SettingValues values, TableCatalog catalog, string? exportPath = null, TextWriter? warnings = null)
    {
        try
        {
            return InventoryDatabase.Open(Location(values), catalog, Options(values, exportPath, warnings));
        }
        catch (InventoryQueryException e)
        {
            throw new CliUsageException($"{e.Message} (store {Location(values)}, from {values.SourceOf(CliSettings.Store)})", e);
        }
    }
}
