using System.Net.WebSockets;
using System.Text.Json;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;

namespace Dandelion.Publisher.Entrances;

/// <summary>
/// One SEARCH against one entrance: connect, ask, read the answer, close (as the original
/// publisher does). A version 1 entrance answers only <c>BOX_SET</c>; its boxes are
/// ranked with score 0 in the order given.
/// </summary>
internal sealed class EntranceClient(TimeProvider time)
{
    private const int MaxReply = 8 * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<SearchResult> SearchAsync(string url, SearchRequest request, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(new Uri(url), both.Token).ConfigureAwait(false);
            await socket.SendAsync(ProtocolJson.Serialize(request, ProtocolJsonContext.Default.SearchRequest),
                WebSocketMessageType.Text, endOfMessage: true, both.Token).ConfigureAwait(false);
            using var message = await WebSocketMessageReader.ReceiveAsync(socket, MaxReply, both.Token).ConfigureAwait(false);
            if (message.Outcome != ReceiveOutcome.Message || message.Type != WebSocketMessageType.Text)
                throw new EntranceUnavailableException($"{url} closed without answering SEARCH ({socket.CloseStatus} {socket.CloseStatusDescription}).");
            if (ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.ErrorReply, out var error, out _))
                throw new EntranceUnavailableException($"{url} refused SEARCH: {error.Code} {error.Error}");
            if (!ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.SearchReply, out var reply, out var bad))
                throw new EntranceUnavailableException($"{url} answered SEARCH with something else: {bad.Message}");

            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", both.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                // It has answered; how the socket ends does not matter.
            }
            return new SearchResult(Rank(reply), reply.Grant, reply.EntranceUrls ?? []);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EntranceUnavailableException($"{url} did not answer SEARCH within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            throw new EntranceUnavailableException($"{url} could not be reached: {ex.Message}");
        }
    }

    /// <summary><c>RANKING</c> when the entrance speaks version 2, else <c>BOX_SET</c> in the order given.</summary>
    internal static IReadOnlyList<RankedBox> Rank(SearchReply reply)
    {
        if (reply.Ranking is { } ranking)
            return ranking.Where(b => !string.IsNullOrEmpty(b.ConnectWs)).ToList();

        var boxes = new List<RankedBox>();
        foreach (var (id, value) in reply.BoxSet ?? new Dictionary<string, JsonElement>())
        {
            ExchangeRequest? exchange;
            try
            {
                exchange = value.Deserialize(ProtocolJsonContext.Default.ExchangeRequest);
            }
            catch (JsonException)
            {
                continue;
            }
            if (exchange?.ConnectWs is not { Length: > 0 } connect)
                continue;
            GeoLocation? geo = null;
            if (exchange.Extra?.TryGetValue("GEO", out var geoElement) == true)
            {
                try
                {
                    geo = geoElement.Deserialize(ProtocolJsonContext.Default.GeoLocation);
                }
                catch (JsonException)
                {
                }
            }
            boxes.Add(new RankedBox { Id = id, ConnectWs = connect, HttpUrl = exchange.HttpUrl, Parts = new ScoreParts(), Geo = geo });
        }
        return boxes;
    }
}
