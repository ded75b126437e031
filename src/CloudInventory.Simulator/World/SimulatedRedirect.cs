namespace CloudInventory.Simulator.World;

/// <summary>S3's answer to a bucket call sent to the wrong region: 301 PermanentRedirect naming the bucket's region.</summary>
internal sealed class SimulatedRedirect(string region) : Exception($"The bucket is in region {region}.")
{
    public string Region { get; } = region;
}
