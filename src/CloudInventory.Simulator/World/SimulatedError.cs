namespace CloudInventory.Simulator.World;

/// <summary>An error the world answers a call with, written in the call's protocol.</summary>
internal sealed class SimulatedError(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}
