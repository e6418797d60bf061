using System.Net.WebSockets;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>
/// A version 2 box as far as its traffic goes: each heartbeat it serves one more request, sends
/// every entry not yet acknowledged, and drops what <c>TRAFFIC_ACK</c> covers; a refused or lost
/// heartbeat keeps them for the next (as the real box's outbox does). It reconnects when its
/// session drops.
/// </summary>
internal sealed class TrafficBox(string id, Uri entrance) : IAsyncDisposable
{
    private readonly List<(long Id, long Size)> _pending = [];
    private readonly Random _random = new(id.GetHashCode(StringComparison.Ordinal));
    private Peer? _session;
    private long _nextEntry = 1;
    private long _seq;

    public string Id { get; } = id;
    public long RequestsSent { get; private set; }
    public long BytesSent { get; private set; }
    public int Pending => _pending.Count;
    public int Accepted { get; private set; }
    public int Refused { get; private set; }

    /// <returns>True when the entrance accepted the heartbeat.</returns>
    public async Task<bool> BeatAsync(bool serve)
    {
        if (serve)
        {
            var size = _random.Next(1, 5000);
            _pending.Add((_nextEntry++, size));
            RequestsSent++;
            BytesSent += size;
        }
        try
        {
            _session ??= await Peer.ConnectAsync(entrance);
            await _session.SendAsync(Messages.V2Exchange(Id, ++_seq, traffic: [.. _pending]));
            var reply = await _session.ReceiveAsync();
            if ((string?)reply["MESSAGE"] != "ACCEPTED")
            {
                Refused++;
                return false;
            }
            if ((long?)reply["TRAFFIC_ACK"] is { } ack)
                _pending.RemoveAll(e => e.Id <= ack);
            Accepted++;
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or Xunit.Sdk.XunitException)
        {
            // The session dropped (or was refused): the next beat reconnects, entries kept.
            Refused++;
            if (_session is not null)
                await _session.DisposeAsync();
            _session = null;
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
            await _session.DisposeAsync();
    }
}
