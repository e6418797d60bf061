using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Dandelion.Benchmark.Load;

/// <summary>
/// <see cref="WorkerCommand.Concurrency"/> clients, each starting its next operation as soon as
/// the last is answered, for <see cref="WorkerCommand.Seconds"/>. Latency is per operation:
/// for <c>v1</c> from connect to the server's close, as an original box lives it.
/// </summary>
internal sealed class ClosedLoop(WorkerCommand command, LoadCounters counters)
{
    private static readonly byte[] Accepted = "ACCEPTED"u8.ToArray();
    private static readonly byte[] Ranking = "RANKING"u8.ToArray();
    /// <summary>Version 1 boxes cycle through this many ids, so the registry stays the same size however long it runs.</summary>
    private const int V1Boxes = 1000;

    private readonly Uri _url = new(command.Url!);
    private readonly IPAddress[] _sources = command.Sources!.Select(IPAddress.Parse).ToArray();
    private long _operations;

    public async Task RunAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(command.Seconds));
        await Task.WhenAll(Enumerable.Range(0, command.Concurrency).Select(client => ClientAsync(client, stop.Token)));
    }

    private async Task ClientAsync(int client, CancellationToken stop)
    {
        WebSocket? held = null;
        var source = _sources[client % _sources.Length];
        long sequence = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref _operations);
                var ip = command.Ips![(int)(n % command.Ips.Length)];
                counters.Due();
                var started = Stopwatch.GetTimestamp();
                string? wrong;
                try
                {
                    switch (command.Kind)
                    {
                        case "v1":
                            wrong = await V1ExchangeAsync(_sources[n % _sources.Length], BoxMessages.BoxId(command.Seed + n % V1Boxes), ip);
                            break;
                        case "exchange":
                            held ??= await OpenSessionAsync(source, BoxMessages.BoxId(command.Seed + client), ip, stop);
                            await held.SendAsync(BoxMessages.Exchange(BoxMessages.BoxId(command.Seed + client), ip, ++sequence), WebSocketMessageType.Text, true, stop);
                            wrong = await Replies.ReceiveAsync(held, Accepted, CancellationToken.None);
                            break;
                        default:
                            held ??= await WebSocketDialer.ConnectAsync(_url, source, stop);
                            await held.SendAsync(BoxMessages.Search(BoxMessages.PublisherId(command.Seed + client), ip), WebSocketMessageType.Text, true, stop);
                            wrong = await Replies.ReceiveAsync(held, Ranking, CancellationToken.None);
                            break;
                    }
                }
                catch (Exception ex) when (ex is WebSocketException or SocketException or IOException)
                {
                    wrong = ex.GetType().Name + ": " + ex.Message;
                }
                if (wrong is null)
                {
                    counters.Answered(started, TimeSpan.MaxValue);
                    continue;
                }
                counters.Error(wrong);
                held?.Dispose();
                held = null;
                await Task.Delay(10, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            held?.Dispose();
        }
    }

    private async Task<WebSocket> OpenSessionAsync(IPAddress source, string boxId, string ip, CancellationToken stop)
    {
        var socket = await WebSocketDialer.ConnectAsync(_url, source, stop);
        await socket.SendAsync(BoxMessages.Exchange(boxId, ip, 0), WebSocketMessageType.Text, true, stop);
        if (await Replies.ReceiveAsync(socket, Accepted, stop) is { } wrong)
            throw new WebSocketException("opening: " + wrong);
        return socket;
    }

    /// <summary>Connect, one version 1 EXCHANGE, the reply, and the close the entrance starts.</summary>
    private async Task<string?> V1ExchangeAsync(IPAddress source, string boxId, string ip)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = await WebSocketDialer.ConnectAsync(_url, source, timeout.Token);
        await socket.SendAsync(BoxMessages.Exchange(boxId, ip, null), WebSocketMessageType.Text, true, timeout.Token);
        if (await Replies.ReceiveAsync(socket, Accepted, timeout.Token) is { } wrong)
            return wrong;
        var closing = new byte[64];
        var result = await socket.ReceiveAsync(closing, timeout.Token);
        if (result.MessageType != WebSocketMessageType.Close)
            return "no close after the reply";
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        return null;
    }
}
