using System.Diagnostics;

namespace Dandelion.Publisher.Telemetry;

/// <summary>The publisher's one <see cref="ActivitySource"/>, named as its meter: a span per placement attempt and per redirect.</summary>
internal static class PublisherTraces
{
    /// <summary>The app's meter and activity source: <c>Dandelion.Publisher</c>.</summary>
    public const string Name = "Dandelion.Publisher";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// Starts a span that ends later, elsewhere (a placement ends when the box answers), without
    /// making it the current one: what runs next on this thread is not part of it.
    /// </summary>
    public static Activity? StartDetached(string name, ActivityKind kind = ActivityKind.Internal)
    {
        var current = Activity.Current;
        var started = Source.StartActivity(name, kind);
        Activity.Current = current;
        return started;
    }
}
