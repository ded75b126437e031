using System.Globalization;
using System.Net;

namespace CloudInventory.Server.Internal;

/// <summary>A parsed <c>--listen</c> value: the addresses to bind and whether they are all loopback.</summary>
internal sealed record ListenAddress(IReadOnlyList<IPAddress> Addresses, int Port, string Text)
{
    public bool IsLoopback => Addresses.All(IPAddress.IsLoopback);

    public static ListenAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var colon = t.LastIndexOf(':');
        if (colon <= 0 || colon == t.Length - 1
            || !int.TryParse(t[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new DashboardStartException($"--listen {text} is not host:port (e.g. 127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080).");
        }
        var host = t[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new ListenAddress([IPAddress.Loopback, IPAddress.IPv6Loopback], port, t);
        if (!IPAddress.TryParse(host, out var address))
        {
            throw new DashboardStartException($"--listen {text}: {host} is not an IP address or localhost (give the address of one of this machine's interfaces).");
        }
        return new ListenAddress([address], port, t);
    }
}
