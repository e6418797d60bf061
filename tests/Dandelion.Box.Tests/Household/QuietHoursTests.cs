using Dandelion.Box.Node;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Box.Tests.Household;

/// <summary>The owner's quiet hours on the box's clock: it drains when they begin and returns when they end.</summary>
public sealed class QuietHoursTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-quiet-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T22:59:00Z"));
    private BoxHost _box = null!;

    public Task InitializeAsync()
    {
        _time.SetLocalTimeZone(TimeZoneInfo.Utc);
        _box = BoxHost.Start(_data, new Dictionary<string, string?>
        {
            ["Box:QuietHours:0"] = "23:00-07:00",
            // The publisher's socket stays open through the night this clock skips: the idle limit
            // (10 min, on the same clock) would close it, which is not what this test is about.
            ["Box:IdleTimeout"] = "1.00:00:00",
        }, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task The_box_drains_through_the_quiet_hours_and_takes_files_again_after()
    {
        var node = _box.Service<BoxNode>();
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
        {
            Assert.Equal("ACTIVE", node.State);
            Assert.Equal("STORED", await PutAsync(publisher, "/before.ts"));

            _time.Advance(TimeSpan.FromMinutes(1)); // 23:00
            await BoxHost.EventuallyAsync(() => node.State == "DRAINING", "the box to drain at 23:00");
            Assert.Equal("draining", await PutAsync(publisher, "/night.ts"));
            // What it holds is still served: refusing it would break a stream being watched.
            Assert.Equal(System.Net.HttpStatusCode.OK, (await _box.Http.GetAsync($"{TestPublisher.DefaultId}/before.ts")).StatusCode);

            _time.Advance(TimeSpan.FromHours(7) + TimeSpan.FromMinutes(59)); // 06:59 the next day
            await Task.Delay(200);
            Assert.Equal("DRAINING", node.State);

            _time.Advance(TimeSpan.FromMinutes(1)); // 07:00
            await BoxHost.EventuallyAsync(() => node.State == "ACTIVE", "the box to return at 07:00");
            Assert.Equal("STORED", await PutAsync(publisher, "/morning.ts"));
        }
    }

    [Fact]
    public async Task An_entrance_drain_outlasts_the_end_of_quiet_hours()
    {
        var node = _box.Service<BoxNode>();
        _time.Advance(TimeSpan.FromMinutes(1));
        await BoxHost.EventuallyAsync(() => node.State == "DRAINING", "the box to drain at 23:00");
        node.Draining = true; // as an entrance's DRAIN sets it

        _time.Advance(TimeSpan.FromHours(8));
        await BoxHost.EventuallyAsync(() => !node.Quiet, "the quiet hours to end");
        Assert.Equal("DRAINING", node.State);
        node.Draining = false; // RESUME
        Assert.Equal("ACTIVE", node.State);
    }

    private static async Task<string?> PutAsync(TestPublisher publisher, string path)
    {
        var answer = await publisher.PutAsync(TestPublisher.Version2Frame(path, 3600 * 24, "segment"u8.ToArray()));
        return answer.GetProperty("COMMAND").GetString() == "STORED" ? "STORED" : answer.GetProperty("CODE").GetString();
    }
}
