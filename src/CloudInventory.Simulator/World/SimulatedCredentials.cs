using System.Globalization;

namespace CloudInventory.Simulator.World;

/// <summary>
/// The simulator's access keys: the key names the account (<c>AKIASIM</c> + 12-digit account + 0 for
/// long-term keys, <c>ASIASIM</c> + account + 1 for AssumeRole sessions), so routing is stateless.
/// </summary>
public static class SimulatedCredentials
{
    /// <summary>The long-term access key of an account.</summary>
    public static string AccessKeyFor(string accountId) => "AKIASIM" + accountId + "0";

    /// <summary>The session access key AssumeRole hands out for an account.</summary>
    public static string SessionKeyFor(string accountId) => "ASIASIM" + accountId + "1";

    /// <summary>The secret key that goes with an access key.</summary>
    public static string SecretFor(string accessKeyId, long seed) =>
        "sim" + StableHash.Hex(seed.ToString(CultureInfo.InvariantCulture) + "/" + accessKeyId, 37);

    /// <summary>The account an access key belongs to, or null when it is not a simulator key.</summary>
    public static string? AccountOf(string accessKeyId) =>
        accessKeyId.Length == 20 && (accessKeyId.StartsWith("AKIASIM", StringComparison.Ordinal) || accessKeyId.StartsWith("ASIASIM", StringComparison.Ordinal))
        && accessKeyId.AsSpan(7, 12).IndexOfAnyExceptInRange('0', '9') < 0
            ? accessKeyId.Substring(7, 12)
            : null;
}
