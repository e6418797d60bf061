using System.Net;
using System.Net.Sockets;

namespace Dandelion.Ports;

/// <summary>
/// Loopback ports for test and local-network processes, picked below the kernel's ephemeral
/// range: a port from there (what binding port 0 gives) can be taken by any outgoing
/// connection on the machine between being picked and being bound, and on a machine busy
/// with many connections it was ("address already in use"). Linked into
/// Dandelion.Testing and Dandelion.LocalNetwork.
/// </summary>
internal static class PortPicker
{
    // Ports 10000-19999; a Redis Cluster node's bus port (+10000) then falls in 20000-29999,
    // also below the ephemeral range and never picked here.
    private const int First = 10_000;
    private const int Count = 10_000;
    private static readonly HashSet<int> Given = [];

    /// <summary>A loopback TCP port nobody listens on now, never given before by this process.</summary>
    public static int Next()
    {
        if (EphemeralStart() <= First + Count)
            return AnyFree();
        lock (Given)
        {
            for (var attempt = 0; attempt < Count; attempt++)
            {
                var port = First + Random.Shared.Next(Count);
                if (Given.Contains(port) || !CanBind(port))
                    continue;
                Given.Add(port);
                return port;
            }
        }
        return AnyFree();
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int AnyFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
