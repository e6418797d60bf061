using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Dandelion.Benchmark.Load;

/// <summary>
/// Opens a client WebSocket from a chosen loopback source address (<c>127.0.0.x</c>): each
/// address has its own ~28,000 ephemeral ports, so many addresses let one machine hold
/// 100,000 connections. The handshake is written by hand and the socket wrapped by
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>: a few hundred
/// bytes per connection, against kilobytes for an HTTP client connection.
/// </summary>
internal static class WebSocketDialer
{
    private const int MaxResponseHead = 4096;

    public static async Task<WebSocket> ConnectAsync(Uri url, IPAddress source, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(IPAddress.Parse(url.Host), url.Port, cancellationToken);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"), cancellationToken);
            await ReadSwitchingProtocolsAsync(stream, cancellationToken);
            return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the response head. The servers measured here send nothing after the 101 until the
    /// client speaks, so a read never takes bytes that belong to the WebSocket.
    /// </summary>
    private static async Task ReadSwitchingProtocolsAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxResponseHead];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
                throw new WebSocketException("The server closed during the handshake.");
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                if (!buffer.AsSpan().StartsWith("HTTP/1.1 101"u8))
                    throw new WebSocketException("Handshake refused: " + Encoding.ASCII.GetString(buffer, 0, Math.Min(length, 80)).Split('\r')[0]);
                if (end + 4 != length)
                    throw new WebSocketException("The server sent data before the client's first message.");
                return;
            }
            if (length == buffer.Length)
                throw new WebSocketException("Handshake response head too long.");
        }
    }
}
