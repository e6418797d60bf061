using Dandelion.Box.Files;
using Dandelion.Box.Node;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Identity;
using Dandelion.Shared.Protocol;

namespace Dandelion.Box.Entrances;

/// <summary>What the box takes from an entrance's EXCHANGE replies and commands, whichever version brought them.</summary>
internal sealed partial class EntranceReplies(EntranceDirectory directory, TrafficOutbox outbox, BoxNode node, FileStore store,
    ILogger<EntranceReplies> logger)
{
    public void Accept(string url, ExchangeReply reply)
    {
        directory.MarkReached(url);
        directory.Advertise(reply.EntranceUrls);
        if (node.SetGrantKey(reply.GrantKey))
            Log.GrantKey(logger, url);
        node.MarkEntranceHeard();
        if (reply.TrafficAck is { } ack)
            outbox.Acknowledge(ack);
    }

    public void Obey(string url, BoxCommand command)
    {
        Log.Command(logger, url, command.Command ?? "");
        switch (command.Command)
        {
            case Commands.Drain:
                node.Draining = true;
                break;
            case Commands.Resume:
                node.Draining = false;
                break;
            case Commands.Purge when command.Publisher is null:
                store.Purge(null);
                break;
            case Commands.Purge when NodeIdentity.IsValid(command.Publisher, NodeRole.Publisher):
                store.Purge(command.Publisher);
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8, LogLevel.Information, "Entrance {Url} sent {Command}")]
        public static partial void Command(ILogger logger, string url, string command);

        [LoggerMessage(9, LogLevel.Information, "Entrance {Url} gave a new grant key: version 2 publishers now need a grant")]
        public static partial void GrantKey(ILogger logger, string url);
    }
}
