using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Dandelion.Publisher.Tests;

/// <summary>The offload counters and gauges as a metrics collector sees them, on the app's own meter.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Origin_requests_and_bytes_are_counted_per_stream_and_waiting_files_are_a_gauge()
    {
        await using var publisher = await PublisherHost.StartAsync([]);
        var factory = publisher.Services.GetRequiredService<IMeterFactory>();
        var seen = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Dandelion.Publisher" && ReferenceEquals(instrument.Meter.Scope, factory))
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();

        var path = publisher.WriteFile("m/a.bin", 3000);
        await publisher.Viewer.GetByteArrayAsync("media/pub/m/a.bin");
        await publisher.Viewer.GetByteArrayAsync("media/pub/m/a.bin");
        await publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(60), default);
        listener.RecordObservableInstruments();

        Assert.Equal(2, seen.GetValueOrDefault("dandelion.publisher.origin.requests|files"));
        Assert.Equal(6000, seen.GetValueOrDefault("dandelion.publisher.origin.bytes|files"));
        Assert.Equal(1, seen.GetValueOrDefault("dandelion.publisher.files.waiting|"));
        Assert.Equal(0, seen.GetValueOrDefault("dandelion.publisher.boxes.open|", -1));

        void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var stream = "";
            foreach (var tag in tags)
            {
                if (tag.Key == "stream")
                    stream = tag.Value as string ?? "";
            }
            var key = instrument.Name + "|" + stream;
            if (instrument is ObservableGauge<int>)
                seen[key] = value;
            else
                seen.AddOrUpdate(key, value, (_, old) => old + value);
        }
    }
}
