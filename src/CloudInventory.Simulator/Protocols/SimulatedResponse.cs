namespace CloudInventory.Simulator.Protocols;

/// <summary>An HTTP response the simulator sends: status, headers and body.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Headers">Headers in order.</param>
/// <param name="Body">The body bytes.</param>
public sealed record SimulatedResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body);
