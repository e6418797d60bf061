namespace Dandelion.Shared.Protocol;

public static class ProtocolVersion
{
    /// <summary>The original Dandelion: no <c>VERSION</c> key at all.</summary>
    public const int V1 = 1;

    /// <summary>Ours: <c>"VERSION": 2</c> in a node's first message.</summary>
    public const int V2 = 2;

    public const int Current = V2;

    /// <summary>The version a peer speaks: 2 or more only when it says so.</summary>
    public static int Of(int? declared) => declared is >= V2 ? V2 : V1;
}
