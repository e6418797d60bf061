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
        directory.Advertise(["WS://127.0.0.1:8000/dandelion/ws/", "ws://203.0.113.9:8000/dandelion/ws/", "ftp://x/", "not a url", ""]);
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

    [Theory]
    [InlineData("ws://203.0.113.9:8000/dandelion/ws/", "ws://203.0.113.9:8000/dandelion/ws/")]
    [InlineData("wss://entrance.example.org/dandelion/ws/", "wss://entrance.example.org/dandelion/ws/")]
    // The original's form of the same sockets: what an original entrance advertises.
    [InlineData("http://203.0.113.9:8000/dandelion/ws/", "ws://203.0.113.9:8000/dandelion/ws/")]
    [InlineData("HTTPS://Entrance.Example.org/dandelion/ws_change/", "wss://entrance.example.org/dandelion/ws_change/")]
    [InlineData("https://entrance.example.org:443/dandelion/ws/", "wss://entrance.example.org/dandelion/ws/")]
    [InlineData("http://203.0.113.9:80/dandelion/ws/", "ws://203.0.113.9/dandelion/ws/")]
    // Not an entrance: another scheme, no host, credentials in the URL, a relative path.
    [InlineData("ftp://203.0.113.9/dandelion/ws/", null)]
    [InlineData("http:///dandelion/ws/", null)]
    [InlineData("http://user:secret@203.0.113.9/dandelion/ws/", null)]
    [InlineData("/dandelion/ws/", null)]
    public void Every_form_an_entrance_advertises_is_one_spelling(string advertised, string? expected) =>
        Assert.Equal(expected, EntranceDirectory.Normalize(advertised));
}
