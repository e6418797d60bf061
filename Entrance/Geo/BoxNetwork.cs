using System.Net.Sockets;

namespace Dandelion.Entrance.Geo;

/// <summary>
/// The network a box connected from, as SEARCH limits boxes per answer by it
/// (<c>Entrance:Search:MaxPerNetwork</c>): an IPv4 /24 or an IPv6 /48 (what one site or
/// customer is commonly given, so a Sybil needs a new allocation, not a new address, per few
/// boxes). Private, loopback and link-local addresses have none: boxes on the entrance's own
/// network (a LAN deployment, a test) are not limited, and a peer on the internet cannot come
/// from one.
/// </summary>
internal static class BoxNetwork
{
    /// <summary>Null for an address that is not public.</summary>
    public static string? Of(IPAddress client)
    {
        client = ClientAddress.Normalize(client);
        if (ClientAddress.IsPrivate(client) || client.Equals(IPAddress.Any) || client.Equals(IPAddress.IPv6Loopback))
            return null;
        Span<byte> bytes = stackalloc byte[16];
        client.TryWriteBytes(bytes, out var written);
        if (client.AddressFamily == AddressFamily.InterNetwork)
            return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24";
        if (written != 16)
            return null;
        bytes[6..].Clear();
        return $"{new IPAddress(bytes)}/48";
    }
}
