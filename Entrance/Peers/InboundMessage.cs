namespace Dandelion.Entrance.Peers;

/// <summary>
/// One parsed, validated text message. <see cref="Root"/> reads the caller's pooled receive
/// buffer in place (no copy), so it lives no longer than that buffer: dispose this first.
/// </summary>
internal sealed class InboundMessage(JsonDocument document, NodeMessage message) : IDisposable
{
    public JsonElement Root => document.RootElement;
    public NodeMessage Message { get; } = message;
    public ExchangeRequest? Exchange => Message as ExchangeRequest;
    public SearchRequest? Search => Message as SearchRequest;
    public int Version => Message.SpokenVersion;

    public void Dispose() => document.Dispose();
}
