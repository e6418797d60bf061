namespace Dandelion.Entrance.Boxes;

/// <summary>Why a box left, as the gone list records it (<c>REASON</c>).</summary>
internal static class GoneReasons
{
    /// <summary>Its session ended with a close frame: the box stopped in order.</summary>
    public const string Closed = "closed";
    /// <summary>It closed while draining: the orderly end of a drain.</summary>
    public const string Drained = "drained";
    /// <summary>Its connection dropped without a close frame: crashed, killed, or the network failed.</summary>
    public const string Lost = "lost";
    /// <summary>Silent past the expiry (frozen, or cut off without the connection breaking).</summary>
    public const string Expired = "expired";
    /// <summary>The entrance stopped accepting its credentials (token refused) and closed its session.</summary>
    public const string Revoked = "revoked";
    /// <summary>The entrance closed its session after a message it refused (malformed, too big).</summary>
    public const string Refused = "refused";
}
