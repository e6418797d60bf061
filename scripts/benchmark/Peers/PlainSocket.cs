using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dandelion.Benchmark.Peers;

/// <summary>The placement scenario's peer: the same bytes written over a plain loopback TCP socket to a reader that drops them.</summary>
internal static class PlainSocket
{
    /// <summary>Sends <paramref name="segments"/> × <paramref name="segment"/> over one connection; returns MiB/s.</summary>
    public static async Task<double> MebibytesPerSecondAsync(byte[] segment, int segments, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var total = (long)segment.Length * segments;
        var reading = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptSocketAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            long read = 0;
            while (read < total)
            {
                var n = await accepted.ReceiveAsync(buffer, cancellationToken);
                if (n == 0)
                    break;
                read += n;
            }
            return read;
        }, cancellationToken);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await sender.ConnectAsync((IPEndPoint)listener.LocalEndpoint, cancellationToken);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < segments; i++)
            await sender.SendAsync(segment, cancellationToken);
        var received = await reading;
        return received / 1048576.0 / clock.Elapsed.TotalSeconds;
    }
}
