using Dandelion.Box.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Box.Tests;

public sealed class BandwidthMeterTests
{
    [Fact]
    public void Reports_bytes_per_second_over_the_recent_window_only()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var meter = new BandwidthMeter(time);
        Assert.Equal(0, meter.BytesPerSecond(TimeSpan.FromSeconds(5)));

        for (var i = 0; i < 6; i++)
        {
            meter.Add(6000);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        // The last five whole seconds: 30000 bytes over 5 s.
        Assert.Equal(6000, meter.BytesPerSecond(TimeSpan.FromSeconds(5)));

        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(0, meter.BytesPerSecond(TimeSpan.FromSeconds(5)));
    }
}
