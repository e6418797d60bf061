using System.Net.WebSockets;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Node;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;
using Polly;

namespace Dandelion.Box.Entrances;

/// <summary>
/// The box's long-lived link to one entrance: connect and make a first EXCHANGE (without
/// traffic: its reply says how large a message may be), retried by the one backoff policy, so
/// a box that starts first, or outlives an entrance restart, waits and reconnects. Then a
/// version 2 session (<see cref="EntranceSession"/>), or, when the first reply has no
/// <c>VERSION</c>, version 1 heartbeats (<see cref="OriginalEntranceLink"/>).
/// </summary>
internal sealed partial class EntranceLink
{
    private readonly LinkParts _link;
    private readonly ResiliencePipeline _connect;

    public EntranceLink(string url, EntranceDirectory directory, ExchangeBuilder exchanges, EntranceReplies replies, TrafficOutbox outbox,
        BoxNode node, IOptions<BoxOptions> options, TimeProvider time, BoxMetrics metrics, ILogger<EntranceLink> logger)
    {
        _link = new LinkParts(url, new PeerClient(node.Stamp, time, new PeerTrust(options.Value.Tls.CaBundle)), exchanges,
            new TrafficBatcher(url, outbox, metrics, logger), replies, outbox, directory, options.Value, time, metrics, logger);
        _connect = PeerRetry.Build(time, options.Value.ReconnectMaxDelay,
            (attempt, delay, reason) => Log.Retrying(logger, url, attempt, delay, reason));
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (socket, reply) = await _connect.ExecuteAsync(ConnectAsync, cancellationToken);
                using (socket)
                {
                    if (reply.Version is null)
                    {
                        // An original entrance: it answered in version 1 and closes.
                        Log.Version1(_link.Logger, _link.Url);
                        await new OriginalEntranceLink(_link).RunAsync(cancellationToken);
                        continue;
                    }
                    await new EntranceSession(_link).RunAsync(socket, cancellationToken);
                }
                // Never a tight loop, even against an entrance that accepts and drops at once.
                await Task.Delay(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(1000)), _link.Time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (EntranceDroppedException ex)
        {
            Log.Dropped(_link.Logger, _link.Url, ex.Message);
        }
    }

    private async ValueTask<(ClientWebSocket, ExchangeReply)> ConnectAsync(CancellationToken cancellationToken)
    {
        _link.ThrowIfDropped();
        // The probe must be something an original entrance can take too: it stores an EXCHANGE
        // with one HMSET, and an empty TRAFFIC list (not a string or number) is a TypeError there.
        var hello = _link.Client.Self.Serialize(_link.Exchanges.Version2(1, []) with { Traffic = null },
            ProtocolJsonContext.Default.ExchangeRequest, ProtocolVersion.V2);
        var (socket, reply) = await _link.Client.OpenAsync(_link.Uri, _link.Url, hello, ProtocolJsonContext.Default.ExchangeReply,
            _link.Options.MaxTextMessageBytes, LinkParts.ConnectTimeout, cancellationToken);
        _link.Replies.Accept(_link.Url, reply);
        _link.Batcher.Accepted(reply.MaxMessageBytes, hello.Length);
        return (socket, reply);
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "Entrance {Url}: attempt {Attempt} in {Delay}: {Reason}")]
        public static partial void Retrying(ILogger logger, string url, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(6, LogLevel.Information, "Entrance {Url} speaks version 1 only: one connection per heartbeat")]
        public static partial void Version1(ILogger logger, string url);

        [LoggerMessage(7, LogLevel.Information, "Entrance {Url}: {Reason}")]
        public static partial void Dropped(ILogger logger, string url, string reason);
    }
}
