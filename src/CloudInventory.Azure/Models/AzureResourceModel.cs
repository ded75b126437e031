namespace CloudInventory.Azure.Models;

/// <summary>One Azure resource type at its latest stable API version.</summary>
public sealed class AzureResourceModel
{
    private readonly Func<AzureShape?>? _read;
    private readonly object? _gate;
    private AzureShape? _properties;
    private volatile bool _known;

    /// <summary>A model whose properties' shape is known.</summary>
    /// <param name="type">The type as Azure spells it, e.g. <c>Microsoft.Compute/virtualMachines</c>.</param>
    /// <param name="apiVersion">Its latest stable API version.</param>
    /// <param name="properties">The shape of its <c>properties</c>; null when the model has none.</param>
    public AzureResourceModel(string type, string apiVersion, AzureShape? properties)
    {
        Type = type;
        ApiVersion = apiVersion;
        _properties = properties;
        _known = true;
    }

    // A model whose properties' shape is read on first use, under gate (the reader shares state across models).
    internal AzureResourceModel(string type, string apiVersion, Func<AzureShape?> read, object gate)
    {
        Type = type;
        ApiVersion = apiVersion;
        _read = read;
        _gate = gate;
    }

    /// <summary>The type as Azure spells it, e.g. <c>Microsoft.Compute/virtualMachines</c>.</summary>
    public string Type { get; }

    /// <summary>Its latest stable API version.</summary>
    public string ApiVersion { get; }

    /// <summary>
    /// The shape of its <c>properties</c>; null when the model has none. The embedded bundle reads a type's shape when it
    /// is first asked for (a run needs the shapes of the types it meets, not of all ~2,800).
    /// </summary>
    public AzureShape? Properties
    {
        get
        {
            if (_known) return _properties;
            lock (_gate!)
            {
                if (!_known)
                {
                    _properties = _read!();
                    _known = true;
                }
            }
            return _properties;
        }
    }

    // Whether the shape of properties has been read (for tests: the embedded bundle reads only what is asked for).
    internal bool IsRead => _known;

    /// <summary>The resource provider, e.g. <c>Microsoft.Compute</c>.</summary>
    public string Provider => Type[..Type.IndexOf('/', StringComparison.Ordinal)];

    /// <inheritdoc/>
    public override string ToString() => $"{Type}@{ApiVersion}";
}
