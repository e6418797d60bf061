using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Dandelion.Entrance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dandelion.Entrance.Tests.Integration;

public sealed class MetricsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Sessions_exchanges_and_searches_are_measured()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        var seen = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this app's meter: other tests run entrances in the same process.
            if (instrument.Meter.Name == "Dandelion.Entrance" && ReferenceEquals(instrument.Meter.Scope, factory))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => seen.AddOrUpdate(i.Name, value, (_, sum) => sum + value));
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => seen.AddOrUpdate(i.Name + ".count", 1, (_, n) => n + 1));
        listener.Start();

        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        await box.ReceiveAsync();
        await box.SendAsync(Messages.V2Exchange(boxId, 2));
        await box.ReceiveAsync();
        await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId()));

        Assert.Equal(2, seen.GetValueOrDefault("dandelion.entrance.exchanges"));
        Assert.Equal(2, seen.GetValueOrDefault("dandelion.entrance.exchange.duration.count"));
        Assert.Equal(1, seen.GetValueOrDefault("dandelion.entrance.searches"));
        Assert.Equal(1, seen.GetValueOrDefault("dandelion.entrance.search.duration.count"));
        Assert.Equal(1, seen.GetValueOrDefault("dandelion.entrance.sessions"));

        await box.DisposeAsync();
        await Eventually.MatchAsync(() => Task.FromResult(seen.GetValueOrDefault("dandelion.entrance.sessions")), n => n == 0, "the session count to drop");
    }
}
