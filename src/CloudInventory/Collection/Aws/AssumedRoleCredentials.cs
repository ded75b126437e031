using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace CloudInventory.Collection.Aws;

/// <summary>
/// Credentials of a role in a member account, from STS AssumeRole (AWSSDK.SecurityToken), cached and
/// refreshed before they expire by the SDK's refreshing-credentials machinery.
/// </summary>
internal sealed class AssumedRoleCredentials : RefreshingAWSCredentials
{
    private readonly AmazonSecurityTokenServiceClient _sts;
    private readonly string _roleArn;
    private readonly string? _externalId;

    public AssumedRoleCredentials(AWSCredentials source, string roleArn, string? externalId, string region, Uri? endpointUrl, int maxAttempts)
    {
        // As many attempts as every other call of the run (throttled AssumeRole calls are retried like the rest).
        var config = new AmazonSecurityTokenServiceConfig { MaxErrorRetry = Math.Max(0, maxAttempts - 1) };
        if (endpointUrl is not null)
        {
            config.ServiceURL = endpointUrl.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        _sts = new AmazonSecurityTokenServiceClient(source, config);
        _roleArn = roleArn;
        _externalId = externalId;
        PreemptExpiryTime = TimeSpan.FromMinutes(5);
    }

    protected override CredentialsRefreshState GenerateNewCredentials() => GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var response = await _sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = _roleArn,
            RoleSessionName = "cloudinv",
            ExternalId = _externalId,
            DurationSeconds = 3600,
        }).ConfigureAwait(false);
        var c = response.Credentials;
        return new CredentialsRefreshState(new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), c.Expiration ?? DateTime.UtcNow.AddHours(1));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sts.Dispose();
        base.Dispose(disposing);
    }
}
