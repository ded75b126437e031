using System.CommandLine;
using CloudInventory.Query;
using CloudInventory.Storage;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// The store options of the query commands: <c>--store</c> (a directory or <c>s3://bucket/prefix</c>),
/// and for S3 stores <c>--cache-dir</c> and <c>--endpoint-url</c>.
/// </summary>
internal sealed class StoreSelection
{
    public Option<string> Store { get; } = QueryCommand.StoreOption();

    public Option<string?> CacheDirectory { get; } = CacheDirectoryOption();

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "For an s3:// store: the S3 endpoint (an S3-compatible server); default $AWS_ENDPOINT_URL_S3, then $AWS_ENDPOINT_URL, then AWS. Credentials and region come from the AWS SDK's default chain.",
    };

    /// <summary>The <c>--cache-dir</c> option (also used by <c>cloudinv cache prune</c>).</summary>
    public static Option<string?> CacheDirectoryOption() => new("--cache-dir")
    {
        Description = $"For s3:// stores: the base directory of the local caches (one subdirectory per store); default ${S3StoreCache.CacheDirectoryVariable}, then ~/.cache/cloudinv/stores.",
    };

    public string Location(ParseResult parse) => parse.GetValue(Store)!;

    public InventoryDatabaseOptions Options(ParseResult parse, IReadOnlyList<TagFilter> tagFilters, string? exportPath = null)
    {
        var location = Location(parse);
        var endpoint = parse.GetValue(EndpointUrl);
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return new InventoryDatabaseOptions
            {
                TagFilters = tagFilters,
                ExportPath = exportPath,
                CacheDirectory = parse.GetValue(CacheDirectory),
                HashCacheDirectory = S3StoreCache.HashesDirectory(S3StoreCache.BaseDirectory(parse.GetValue(CacheDirectory))),
                S3 = endpoint is not null && InventoryStores.IsS3(location) ? InventoryStores.S3Options(location, endpoint) : null,
                Warning = message => error.WriteLine("warning: " + message),
            };
        }
        catch (InventoryStoreException e)
        {
            throw new InventoryQueryException(e.Message, e);
        }
    }
}
