using System.Net.Sockets;

namespace Dandelion.Entrance.Geo;

/// <summary>Which address a peer really has, and which one to place it by.</summary>
internal static class ClientAddress
{
    /// <summary>
    /// The socket's address, or, when the socket comes from a trusted proxy, the right-most
    /// <c>X-Forwarded-For</c> entry that is not itself a trusted proxy (entries to its left
    /// are the client's own claims and could be forged).
    /// </summary>
    public static IPAddress Resolve(IPAddress? remote, string? forwardedFor, IReadOnlySet<IPAddress> trustedProxies)
    {
        var address = Normalize(remote ?? IPAddress.Loopback);
        if (string.IsNullOrEmpty(forwardedFor) || !trustedProxies.Contains(address))
            return address;

        var hops = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
                return address;
            hop = Normalize(hop);
            if (!trustedProxies.Contains(hop))
                return hop;
        }
        return address;
    }

    /// <summary>
    /// The address to look up: the client's, unless it is private or loopback and the peer
    /// reports a public one in <c>IP</c> (a box on the entrance's own network, or a test).
    /// </summary>
    public static IPAddress ForGeoIp(IPAddress client, string? reportedIp) =>
        IsPrivate(client) && IPAddress.TryParse(reportedIp, out var reported) && !IsPrivate(Normalize(reported))
            ? Normalize(reported)
            : client;

    public static bool IsPrivate(IPAddress address)
    {
        address = Normalize(address);
        if (IPAddress.IsLoopback(address))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.Equals(IPAddress.IPv6Any);

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] == 10
            || b[0] == 0
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127); // carrier-grade NAT
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
