using System.Diagnostics;

namespace Dandelion.Entrance.Telemetry;

/// <summary>The entrance's one <see cref="ActivitySource"/>, named as its meter: a span per EXCHANGE and per SEARCH.</summary>
internal static class EntranceTraces
{
    public static readonly ActivitySource Source = new(EntranceMetrics.MeterName);
}
