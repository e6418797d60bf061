using System.Net;

namespace Dandelion.Benchmark.Load;

/// <summary>
/// The version 2 sessions one worker holds. One timer ticks every 10 ms and starts the beats of
/// the sessions whose slot of the heartbeat has come (a timing wheel): no timer per session,
/// and each session's beat falls at its own phase so the load is even.
/// </summary>
internal sealed class SessionPool(LoadCounters counters) : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly List<HeldSession>[] _slots = Enumerable.Range(0, 10_000).Select(_ => new List<HeldSession>()).ToArray();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TimeSpan _heartbeat = TimeSpan.FromSeconds(10);
    private Task? _wheel;
    private int _open;

    public int Open => _open;

    /// <summary>Opens <see cref="WorkerCommand.Count"/> more sessions at the given rate; returns once each answered or failed.</summary>
    public async Task OpenAsync(WorkerCommand command)
    {
        _heartbeat = TimeSpan.FromSeconds(command.HeartbeatSeconds);
        _wheel ??= RunWheelAsync();
        var url = new Uri(command.Url!);
        var sources = command.Sources!.Select(IPAddress.Parse).ToArray();
        var opening = new List<Task>(command.Count);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var perTick = Math.Max(1, command.RampPerSecond / 100);
        for (var i = 0; i < command.Count; i++)
        {
            if (i > 0 && i % perTick == 0)
                await pace.WaitForNextTickAsync();
            var number = command.Seed + _open + i;
            opening.Add(OpenOneAsync(url, sources[i % sources.Length], BoxMessages.BoxId(number), command.Ips![(int)(number % command.Ips.Length)]));
        }
        await Task.WhenAll(opening);
    }

    public async Task CloseAllAsync()
    {
        List<HeldSession> all;
        lock (_gate)
        {
            all = _slots.SelectMany(s => s).ToList();
            foreach (var slot in _slots)
                slot.Clear();
            _open = 0;
        }
        foreach (var chunk in all.Chunk(500))
            await Task.WhenAll(chunk.Select(s => s.CloseAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_wheel is not null)
            await _wheel;
        await CloseAllAsync();
        _stop.Dispose();
    }

    private async Task OpenOneAsync(Uri url, IPAddress source, string boxId, string ip)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var socket = await WebSocketDialer.ConnectAsync(url, source, timeout.Token);
            var session = new HeldSession(socket, boxId, ip);
            if (await session.OpenAsync(timeout.Token) is { } wrong)
            {
                counters.Error("opening: " + wrong);
                socket.Dispose();
                return;
            }
            lock (_gate)
            {
                _slots[Random.Shared.Next(SlotCount)].Add(session);
                _open++;
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or System.Net.WebSockets.WebSocketException or IOException or OperationCanceledException)
        {
            counters.Error("opening: " + ex.GetType().Name + ": " + ex.Message);
        }
    }

    private int SlotCount => Math.Clamp((int)(_heartbeat / Tick), 1, _slots.Length);

    private async Task RunWheelAsync()
    {
        using var timer = new PeriodicTimer(Tick);
        var started = DateTime.UtcNow;
        long done = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                // Every slot whose time came since the last tick, even if this tick was late.
                var due = (long)((DateTime.UtcNow - started) / Tick);
                for (; done < due; done++)
                {
                    HeldSession[] beating;
                    lock (_gate)
                        beating = _slots[(int)(done % SlotCount)].ToArray();
                    foreach (var session in beating)
                        _ = session.BeatAsync(counters, _heartbeat, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
