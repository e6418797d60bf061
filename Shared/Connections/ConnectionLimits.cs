namespace Dandelion.Shared.Connections;

/// <summary>
/// The bounds one connection lives within (docs/CONNECTIONS.md). Listeners build theirs from
/// their app's options; a client side uses <see cref="Client"/>.
/// </summary>
public sealed record ConnectionLimits
{
    /// <summary>Largest text message read whole, in bytes; one byte more is refused <c>too-big</c>.</summary>
    public required int MaxMessageBytes { get; init; }

    /// <summary>The peer's first message must be whole within this; null: no limit.</summary>
    public TimeSpan? FirstMessageTimeout { get; init; }

    /// <summary>Nothing received for this long ends the connection; null: never.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>After this side's close frame, how long the peer has to answer with its own before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open connections allowed at once from one address (listeners only).</summary>
    public int MaxConnectionsPerAddress { get; init; } = int.MaxValue;

    /// <summary>
    /// The accepting side: a refusal is answered with an error reply before the close frame,
    /// timeouts are refusals (<c>timeout</c>), and version 2 replies to EXCHANGE, SEARCH and
    /// PUBLISH carry <c>MAX_MESSAGE_BYTES</c>. A client only closes.
    /// </summary>
    public bool Listener { get; init; } = true;

    /// <summary>Error replies carry <c>CODE</c> for version 1 peers too (the entrance: it answers before it knows).</summary>
    public bool CodeToVersion1 { get; init; }

    /// <summary>A client side: no first-message timeout, no error replies.</summary>
    public static ConnectionLimits Client(int maxMessageBytes, TimeSpan? idleTimeout = null) => new()
    {
        MaxMessageBytes = maxMessageBytes,
        IdleTimeout = idleTimeout,
        Listener = false,
    };
}
