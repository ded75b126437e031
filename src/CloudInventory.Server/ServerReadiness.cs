namespace CloudInventory.Server;

/// <summary>What <c>/readyz</c> answers: ready or not, and why, in one sentence.</summary>
/// <param name="IsReady">True when the server has data fresh enough to serve.</param>
/// <param name="Reason">Why (the age of the last successful run, or that the store cannot be read).</param>
public sealed record ServerReadiness(bool IsReady, string Reason);
