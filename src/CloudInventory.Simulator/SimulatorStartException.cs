namespace CloudInventory.Simulator;

/// <summary>The simulator could not start (e.g. its port is in use).</summary>
public sealed class SimulatorStartException(string message, Exception? inner = null) : Exception(message, inner);
