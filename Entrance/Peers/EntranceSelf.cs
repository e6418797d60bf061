using Dandelion.Shared.Connections;

namespace Dandelion.Entrance.Peers;

/// <summary>How this entrance names itself in replies on one connection.</summary>
/// <param name="EntranceUrls">This entrance's URL first, then its peers', in the <c>ws(s)://</c> form.</param>
internal sealed record EntranceSelf(string Id, string Ip, string Port, IReadOnlyList<string> EntranceUrls)
{
    public NodeStamp Stamp { get; } = new(Id, NodeTypes.Entrance, Ip, Port);

    /// <summary>
    /// The same URLs in the <c>http(s)://</c> form: an original box opens its entrances with
    /// aiohttp's <c>ws_connect</c> and takes no other scheme.
    /// </summary>
    public IReadOnlyList<string> Version1Urls { get; } = [.. EntranceUrls.Select(u => EntranceUrl.Version1Form(u) ?? u)];

    /// <summary><c>ENTRANCE_URLS</c> as a peer speaking <paramref name="version"/> takes them.</summary>
    public IReadOnlyList<string> UrlsFor(int version) => version >= ProtocolVersion.V2 ? EntranceUrls : Version1Urls;

    /// <summary>From <c>PublicUrl</c>, or from the host (and scheme) the peer reached us at.</summary>
    public static EntranceSelf For(string id, string? publicUrl, IReadOnlyList<string> peers, string requestHost, bool secure = false)
    {
        var url = publicUrl ?? $"{(secure ? "wss" : "ws")}://{requestHost}/dandelion/ws/";
        var uri = new Uri(url);
        return new EntranceSelf(id, uri.Host, uri.Port.ToString(CultureInfo.InvariantCulture),
            [url, .. peers.Select(p => EntranceUrl.WebSocketForm(p) ?? p)]);
    }
}
