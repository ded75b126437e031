namespace CloudInventory.Simulator.World;

/// <summary>One account of the simulated organisation.</summary>
/// <param name="Id">The 12-digit account id.</param>
/// <param name="Name">The account name.</param>
/// <param name="Email">The root e-mail.</param>
/// <param name="Status">ACTIVE or SUSPENDED.</param>
/// <param name="OrganizationalUnitId">The OU holding the account, or null for the root.</param>
/// <param name="Joined">When it joined the organisation.</param>
public sealed record SimulatedAccount(string Id, string Name, string Email, string Status, string? OrganizationalUnitId, DateTimeOffset Joined);
