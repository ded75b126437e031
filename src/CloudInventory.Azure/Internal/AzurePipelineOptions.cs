using Azure.Core;

namespace CloudInventory.Azure.Internal;

/// <summary>Azure.Core's client options for the Resource Manager pipeline.</summary>
internal sealed class AzurePipelineOptions : ClientOptions;
