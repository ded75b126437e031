using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Endpoints;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Client;

/// <summary>Options of an <see cref="AwsClient"/>.</summary>
public sealed class AwsClientOptions
{
    /// <summary>The region; when null, <c>AWS_REGION</c> or <c>AWS_DEFAULT_REGION</c>, else an error.</summary>
    public string? Region { get; set; }

    /// <summary>The shared config/credentials profile to use; ignored when <see cref="Credentials"/> is set.</summary>
    public string? Profile { get; set; }

    /// <summary>The credentials; default: the standard chain (with <see cref="Profile"/> when given).</summary>
    public AwsCredentialSource? Credentials { get; set; }

    /// <summary>An explicit endpoint URL for every service (wins over <c>AWS_ENDPOINT_URL*</c>).</summary>
    public Uri? EndpointUrl { get; set; }

    /// <summary>Retry and backoff settings.</summary>
    public AwsRetryOptions Retry { get; set; } = new();

    /// <summary>Attempts per request, the first included (a shortcut for <see cref="AwsRetryOptions.MaxAttempts"/>).</summary>
    public int MaxAttempts
    {
        get => Retry.MaxAttempts;
        set => Retry.MaxAttempts = value;
    }

    /// <summary>Paces requests per account/region/service; null sends at once.</summary>
    public IAwsRateLimiter? RateLimiter { get; set; }

    /// <summary>The account id the credentials belong to, when known: scopes <see cref="RateLimiter"/>.</summary>
    public string? AccountId { get; set; }

    /// <summary>The HTTP client to send with (not disposed by the client); default: one built on <see cref="HttpHandler"/>.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>The handler of the client's own <see cref="System.Net.Http.HttpClient"/> (disposed with the client).</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The time limit of one attempt (a timed-out attempt is retried). Default 60 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Follow S3's redirects to a bucket's own region (re-signing for it). Default true.</summary>
    public bool FollowS3BucketRegion { get; set; } = true;

    /// <summary>The service models. Default: the bundle embedded in the product.</summary>
    public AwsModelBundle? Models { get; set; }

    /// <summary>The endpoint resolver. Default: <see cref="AwsEndpointResolver.Default"/> (process environment).</summary>
    public AwsEndpointResolver? EndpointResolver { get; set; }

    /// <summary>The clock used to sign requests and read <c>Retry-After</c> dates.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// The memory response bodies are read into, with its byte budget. Default: <see cref="AwsResponseBuffers.Shared"/>,
    /// shared by every client of the process, so bodies held at once stay within one budget however many calls run.
    /// </summary>
    public AwsResponseBuffers? ResponseBuffers { get; set; }

    /// <summary>The User-Agent header.</summary>
    public string UserAgent { get; set; } = "cloudinv/" + (typeof(AwsClientOptions).Assembly.GetName().Version?.ToString(3) ?? "0");
}
