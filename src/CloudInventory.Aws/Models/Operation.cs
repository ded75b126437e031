namespace CloudInventory.Aws.Models;

/// <summary>One operation of a service model.</summary>
public sealed class Operation
{
    internal Operation(ServiceModel service, string name)
    {
        Service = service;
        Name = name;
    }

    /// <summary>The service that defines the operation.</summary>
    public ServiceModel Service { get; }

    /// <summary>The operation's name, e.g. <c>DescribeInstances</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP method (default POST).</summary>
    public string HttpMethod { get; internal set; } = "POST";

    /// <summary>The request URI template (default <c>/</c>), e.g. <c>/{Bucket}?policy</c>.</summary>
    public string RequestUri { get; internal set; } = "/";

    /// <summary>The documented success status code, if any.</summary>
    public int? ResponseCode { get; internal set; }

    /// <summary>The input reference (its traits include the XML root name and namespace), or null.</summary>
    public Member? Input { get; internal set; }

    /// <summary>The output reference (its traits include <c>resultWrapper</c>), or null.</summary>
    public Member? Output { get; internal set; }

    /// <summary>The <c>endpoint.hostPrefix</c> trait, e.g. <c>{Name}.data.</c>, or null.</summary>
    public string? HostPrefix { get; internal set; }

    /// <summary>The <c>authtype</c> trait (<c>none</c>, <c>v4-unsigned-body</c>), or null.</summary>
    public string? AuthType { get; internal set; }

    /// <summary>The <c>httpChecksumRequired</c> trait.</summary>
    public bool HttpChecksumRequired { get; internal set; }

    /// <summary>The <c>deprecated</c> trait.</summary>
    public bool Deprecated { get; internal set; }

    /// <summary>The operation's paginator, or null when it does not page.</summary>
    public Paginator? Paginator { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Service.Name}:{Name}";
}
