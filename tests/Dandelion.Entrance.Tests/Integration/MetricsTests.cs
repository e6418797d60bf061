using System.Collections.Concurrent;
using System.Diagnostics;
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

    [Fact]
    public async Task An_exchange_and_a_search_are_each_a_span()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        var publisherId = Messages.NewPublisherId();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Dandelion.Entrance",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        await box.ReceiveAsync();
        await app.SearchAsync(Messages.V2Search(publisherId));

        // Other tests run entrances in this process too: only this test's box and publisher count.
        var exchange = Assert.Single(spans, s => s.OperationName == "EXCHANGE" && (string?)s.GetTagItem("dandelion.box") == boxId);
        Assert.Equal(ActivityKind.Server, exchange.Kind);
        var search = Assert.Single(spans, s => s.OperationName == "SEARCH" && (string?)s.GetTagItem("dandelion.publisher") == publisherId);
        Assert.Equal(2, search.GetTagItem("dandelion.version"));
        Assert.NotNull(search.GetTagItem("dandelion.boxes"));
    }
}
