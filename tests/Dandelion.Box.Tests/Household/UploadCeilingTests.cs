using Dandelion.Box.Household;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Box.Tests.Household;

/// <summary>
/// The owner's upload ceiling, as viewers see it: bytes received against the box's own clock.
/// The clock is fake and only moves when the test moves it, so every bound is in bytes per
/// second of that clock, never a measured wall time.
/// </summary>
public sealed class UploadCeilingTests : IAsyncLifetime
{
    private const long Ceiling = 64 * 1024;
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-ceiling-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T12:00:00Z"));
    private BoxHost _box = null!;
    private int _slice;

    public async Task InitializeAsync()
    {
        _box = BoxHost.Start(_data, new Dictionary<string, string?> { ["Box:UploadCeiling"] = Ceiling.ToString() }, _time);
        _slice = _box.Service<UploadBucket>().Slice;
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
        {
            foreach (var name in new[] { "a", "b" })
            {
                var stored = await publisher.PutAsync(TestPublisher.Version2Frame($"/live/{name}.ts", 3600, new byte[Ceiling * 40]));
                Assert.Equal("STORED", stored.GetProperty("COMMAND").GetString());
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    // The clock moves one slice's time per step, as a real one flows: a token bucket holds one
    // slice at most, so a clock that leapt a whole second at once would let only one through.
    private TimeSpan Step => TimeSpan.FromTicks(_slice * TimeSpan.TicksPerSecond / Ceiling);

    [Fact]
    public async Task A_viewer_downloading_at_full_speed_gets_the_ceiling_and_no_more()
    {
        await using var viewer = Download.Start(_box.Http, $"{TestPublisher.DefaultId}/live/a.ts");

        // The clock stands still: the bucket's depth, one slice, goes out and nothing after it.
        await BoxHost.EventuallyAsync(() => viewer.Received >= _slice, "the first slice");
        await Task.Delay(300);
        Assert.Equal(_slice, viewer.Received);

        var steps = (int)(Ceiling / _slice); // one second of the box's clock
        for (var second = 1; second <= 4; second++)
        {
            for (var step = 1; step <= steps; step++)
            {
                _time.Advance(Step);
                var due = _slice * ((second - 1) * steps + step + 1);
                await BoxHost.EventuallyAsync(() => viewer.Received >= due, $"{due} bytes");
            }
            await Task.Delay(100); // room for any byte that should not come
            Assert.Equal(Ceiling * second + _slice, viewer.Received);
        }
    }

    [Fact]
    public async Task Two_viewers_at_once_share_the_ceiling_evenly_and_together_get_no_more()
    {
        var started = _time.GetUtcNow();
        await using var first = Download.Start(_box.Http, $"{TestPublisher.DefaultId}/live/a.ts");
        await using var second = Download.Start(_box.Http, $"{TestPublisher.DefaultId}/live/b.ts");
        long Total() => first.Received + second.Received;
        long Allowed() => (long)(Ceiling * (_time.GetUtcNow() - started).TotalSeconds) + _slice;

        await BoxHost.EventuallyAsync(() =>
        {
            if (first.Received == 0 || second.Received == 0)
                _time.Advance(Step);
            return first.Received > 0 && second.Received > 0;
        }, "both viewers to receive bytes");
        var (a0, b0) = (first.Received, second.Received);

        for (var step = 1; step <= 4 * Ceiling / _slice; step++)
        {
            _time.Advance(Step);
            var due = a0 + b0 + (step - 1) * _slice;
            await BoxHost.EventuallyAsync(() => Total() >= due, $"{due} bytes between the two");
            Assert.True(Total() <= Allowed(), $"{Total()} bytes passed the ceiling's {Allowed()}");
        }
        await Task.Delay(100);
        Assert.True(Total() <= Allowed(), $"{Total()} bytes passed the ceiling's {Allowed()}");

        var (a, b) = (first.Received - a0, second.Received - b0);
        Assert.InRange(a, 0.4 * (a + b), 0.6 * (a + b));
    }
}
