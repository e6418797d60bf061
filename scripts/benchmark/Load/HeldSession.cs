using System.Diagnostics;
using System.Net.WebSockets;

namespace Dandelion.Benchmark.Load;

/// <summary>
/// One simulated version 2 box: a held WebSocket that sends EXCHANGE when told and reads the
/// reply. No timer or buffer of its own while idle: <see cref="SessionPool"/> tells it when.
/// </summary>
internal sealed class HeldSession(WebSocket socket, string boxId, string ip)
{
    private static readonly byte[] Accepted = "ACCEPTED"u8.ToArray();
    private long _sequence;
    private int _busy;

    public bool Dead { get; private set; }

    /// <summary>The first EXCHANGE, which opens the session at the entrance.</summary>
    public async Task<string?> OpenAsync(CancellationToken cancellationToken)
    {
        await socket.SendAsync(BoxMessages.Exchange(boxId, ip, ++_sequence), WebSocketMessageType.Text, true, cancellationToken);
        return await Replies.ReceiveAsync(socket, Accepted, cancellationToken);
    }

    /// <summary>One heartbeat; a beat due while the last is unanswered is counted due and skipped.</summary>
    public async Task BeatAsync(LoadCounters counters, TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        counters.Due();
        if (Dead || Interlocked.Exchange(ref _busy, 1) == 1)
            return;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await socket.SendAsync(BoxMessages.Exchange(boxId, ip, ++_sequence), WebSocketMessageType.Text, true, cancellationToken);
            if (await Replies.ReceiveAsync(socket, Accepted, cancellationToken) is { } wrong)
            {
                counters.Error(wrong);
                Dead = socket.State != WebSocketState.Open;
                return;
            }
            counters.Answered(started, heartbeat);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            counters.Error(ex.GetType().Name + ": " + ex.Message);
            Dead = true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public async Task CloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
        }
        socket.Dispose();
    }
}
