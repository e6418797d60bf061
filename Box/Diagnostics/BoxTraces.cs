using System.Diagnostics;

namespace Dandelion.Box.Diagnostics;

/// <summary>The box's one <see cref="ActivitySource"/>, named as its meter: a span per file stored.</summary>
internal static class BoxTraces
{
    public static readonly ActivitySource Source = new(BoxMetrics.MeterName);
}
