using System.Buffers.Binary;
using System.Text;

namespace CloudInventory.Simulator.World;

/// <summary>Deterministic hashing of strings to numbers, the simulator's only source of randomness.</summary>
internal static class StableHash
{
    /// <summary>FNV-1a over the UTF-16 code units, finished with a splitmix64 mixer.</summary>
    public static ulong Of(string key)
    {
        var h = 14695981039346656037UL;
        foreach (var c in key)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        h ^= h >> 30;
        h *= 0xbf58476d1ce4e5b9UL;
        h ^= h >> 27;
        h *= 0x94d049bb133111ebUL;
        h ^= h >> 31;
        return h;
    }

    public static ulong Of(string a, string b) => Of(a + "\u001f" + b);

    /// <summary>A uniform double in [0, 1).</summary>
    public static double Unit(string key) => (Of(key) >> 11) * (1.0 / (1UL << 53));

    public static int Range(string key, int minInclusive, int maxExclusive) =>
        maxExclusive <= minInclusive ? minInclusive : minInclusive + (int)(Of(key) % (ulong)(maxExclusive - minInclusive));

    public static string Hex(string key, int length)
    {
        var sb = new StringBuilder(length);
        var i = 0;
        Span<byte> b = stackalloc byte[8];
        while (sb.Length < length)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, Of(key + "#" + i++));
            sb.Append(Convert.ToHexStringLower(b));
        }
        return sb.ToString(0, length);
    }
}
