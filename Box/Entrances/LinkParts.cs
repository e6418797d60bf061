using Dandelion.Box.Diagnostics;
using Dandelion.Box.Node;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Connections;

namespace Dandelion.Box.Entrances;

/// <summary>What the version 2 session and the version 1 link with one entrance share.</summary>
internal sealed record LinkParts(
    string Url,
    PeerClient Client,
    ExchangeBuilder Exchanges,
    TrafficBatcher Batcher,
    EntranceReplies Replies,
    TrafficOutbox Outbox,
    EntranceDirectory Directory,
    BoxOptions Options,
    TimeProvider Time,
    BoxMetrics Metrics,
    ILogger Logger)
{
    /// <summary>Connecting and the first answer must come within this.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public Uri Uri { get; } = new(Url);

    /// <summary>An advertised entrance unreachable too long is let go.</summary>
    public void ThrowIfDropped()
    {
        if (Directory.ShouldDrop(Url))
            throw new EntranceDroppedException(Url);
    }
}
