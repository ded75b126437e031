using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace CloudInventory.Aws.Credentials;

/// <summary>
/// Where a client's AWS credentials come from: AWSSDK.Core's standard chain (environment, shared
/// config/credentials profiles including SSO and assume-role profiles, web identity, container and
/// instance metadata), one named profile, or static keys. The SDK credential objects refresh
/// temporary credentials themselves; this type resolves the provider once and asks it per request.
/// </summary>
public sealed class AwsCredentialSource
{
    private readonly Lazy<AWSCredentials> _credentials;

    private AwsCredentialSource(string description, Func<AWSCredentials> resolve)
    {
        Description = description;
        _credentials = new Lazy<AWSCredentials>(resolve, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A description for messages, e.g. <c>profile 'audit'</c>; never key material.</summary>
    public string Description { get; }

    /// <summary>
    /// The standard credential chain, or the named profile of the shared config/credentials files
    /// when <paramref name="profile"/> is given (SSO, assume-role, credential-process and static profiles).
    /// </summary>
    public static AwsCredentialSource Default(string? profile = null)
    {
        if (string.IsNullOrEmpty(profile))
        {
            return new AwsCredentialSource("the default credential chain", () => Wrap(
                () => DefaultAWSCredentialsIdentityResolver.GetCredentials(null),
                "no AWS credentials found (environment, shared config/credentials files, web identity, container or instance metadata)"));
        }
        return Profile(profile, profilesLocation: null);
    }

    /// <summary>A named profile, read from <paramref name="profilesLocation"/> (a credentials file) when given.</summary>
    internal static AwsCredentialSource Profile(string profile, string? profilesLocation)
    {
        return new AwsCredentialSource($"profile '{profile}'", () => Wrap(() =>
        {
            var chain = profilesLocation is null ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(profilesLocation);
            return chain.TryGetAWSCredentials(profile, out var credentials)
                ? credentials
                : throw new AwsCredentialsException($"AWS profile '{profile}' was not found or has no usable credentials in the shared config/credentials files");
        }, $"cannot use AWS profile '{profile}'"));
    }

    /// <summary>Static keys (tests, simulators, or keys obtained elsewhere).</summary>
    public static AwsCredentialSource Static(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        AWSCredentials credentials = string.IsNullOrEmpty(sessionToken)
            ? new BasicAWSCredentials(accessKeyId, secretAccessKey)
            : new SessionAWSCredentials(accessKeyId, secretAccessKey, sessionToken);
        return new AwsCredentialSource("static credentials", () => credentials);
    }

    /// <summary>Any AWSSDK.Core credentials object, e.g. <see cref="AssumeRoleAWSCredentials"/> for a cross-account role.</summary>
    public static AwsCredentialSource FromSdk(AWSCredentials credentials, string description)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new AwsCredentialSource(description, () => credentials);
    }

    /// <summary>Gets current credentials, refreshing temporary ones when they are about to expire.</summary>
    /// <exception cref="AwsCredentialsException">No credentials could be resolved.</exception>
    public async Task<ImmutableCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var credentials = _credentials.Value;
        ImmutableCredentials? result;
        try
        {
            result = await credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonClientException or InvalidOperationException or IOException or HttpRequestException)
        {
            throw new AwsCredentialsException($"cannot get AWS credentials from {Description}: {Describe(e)}", e);
        }
        if (result is null || string.IsNullOrEmpty(result.AccessKey) || string.IsNullOrEmpty(result.SecretKey))
        {
            throw new AwsCredentialsException($"{Description} gave no AWS credentials");
        }
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static AWSCredentials Wrap(Func<AWSCredentials> resolve, string failure)
    {
        try
        {
            return resolve();
        }
        catch (AwsCredentialsException)
        {
            throw;
        }
        catch (Exception e) when (e is AmazonClientException or InvalidOperationException or IOException or ArgumentException)
        {
            throw new AwsCredentialsException($"{failure}: {Describe(e)}", e);
        }
    }

    // The SDK's messages name providers, profiles and files, not keys; one line, bounded.
    private static string Describe(Exception e)
    {
        var message = string.Join(" ", e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return message.Length > 400 ? message[..400] + "…" : message;
    }
}
