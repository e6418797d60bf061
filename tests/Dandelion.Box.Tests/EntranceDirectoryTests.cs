using Dandelion.Box.Entrances;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Box.Tests;

public sealed class EntranceDirectoryTests
{
    [Fact]
    public void Advertised_entrances_are_deduplicated_and_dropped_when_unreachable_configured_ones_never()
    {
        var time = new FakeTimeProvider();
        var directory = new EntranceDirectory(TestStores.Options("/tmp/unused", o => o.AdvertisedEntranceTtl = TimeSpan.FromMinutes(10)), time);
        directory.AddConfigured(["ws://127.0.0.1:8000/dandelion/ws/"]);
        directory.Advertise(["WS://127.0.0.1:8000/dandelion/ws/", "ws://203.0.113.9:8000/dandelion/ws/", "http://x/", "not a url", ""]);
        directory.Advertise(["ws://203.0.113.9:8000/dandelion/ws/"]);

        var announced = new List<string>();
        while (directory.Added.TryRead(out var url))
            announced.Add(url);
        Assert.Equal(["ws://127.0.0.1:8000/dandelion/ws/", "ws://203.0.113.9:8000/dandelion/ws/"], announced);

        time.Advance(TimeSpan.FromMinutes(9));
        directory.MarkReached("ws://203.0.113.9:8000/dandelion/ws/");
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(directory.ShouldDrop("ws://203.0.113.9:8000/dandelion/ws/"));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(directory.ShouldDrop("ws://203.0.113.9:8000/dandelion/ws/"));
        Assert.False(directory.ShouldDrop("ws://127.0.0.1:8000/dandelion/ws/"));
    }
}
