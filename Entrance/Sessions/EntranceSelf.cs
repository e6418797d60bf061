using System.Globalization;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Sessions;

/// <summary>How this entrance names itself in replies on one connection.</summary>
internal sealed record EntranceSelf(string Id, string Ip, string Port, IReadOnlyList<string> EntranceUrls)
{
    public NodeStamp Stamp { get; } = new(Id, NodeTypes.Entrance, Ip, Port);

    /// <summary>From <c>PublicUrl</c>, or from the host the peer reached us at.</summary>
    public static EntranceSelf For(string id, string? publicUrl, IReadOnlyList<string> peers, string requestHost)
    {
        var url = publicUrl ?? $"ws://{requestHost}/dandelion/ws/";
        var uri = new Uri(url);
        return new EntranceSelf(id, uri.Host, uri.Port.ToString(CultureInfo.InvariantCulture), [url, .. peers]);
    }
}
