using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dandelion.Shared.Tests;

/// <summary>
/// <see cref="PeerConnection"/> on Kestrel's side of a real connection: what a refused peer
/// is told, that a peer that never answers the close is cut off, and what every message sent
/// carries.
/// </summary>
public sealed class PeerConnectionTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
    private static readonly NodeStamp Entrance = new("entrance-00112233445566778899aabbccddeeff", NodeTypes.Entrance, "198.51.100.1", "8000");

    [Fact]
    public async Task A_message_over_the_limit_is_refused_with_the_error_reply_and_1009_and_a_peer_that_never_answers_is_cut_off()
    {
        var ended = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new Recorder();
        await using var server = await WebSocketServer.StartAsync(async socket =>
        {
            var limits = new ConnectionLimits { MaxMessageBytes = 1024, CloseTimeout = TimeSpan.FromSeconds(1), CodeToVersion1 = true };
            var connection = new PeerConnection(socket, Entrance, limits, "test", TimeProvider.System, NullLogger.Instance);
            await connection.RunAsync(handler, CancellationToken.None);
            ended.SetResult(connection.EndReason);
        });
        using var client = await server.ConnectAsync(Timeout);

        await client.SendAsync(Encoding.UTF8.GetBytes("{\"PAD\":\"" + new string('x', 5000) + "\"}"), WebSocketMessageType.Text, true, Timeout);
        var buffer = new byte[4096];
        var reply = await client.ReceiveAsync(buffer, Timeout);
        var error = JsonDocument.Parse(buffer.AsMemory(0, reply.Count)).RootElement;
        Assert.Equal("too-big", error.GetProperty("CODE").GetString());
        Assert.Equal(Entrance.Id, error.GetProperty("ID").GetString());
        Assert.Equal("ENTRANCE", error.GetProperty("TYPE").GetString());
        var close = await client.ReceiveAsync(buffer, Timeout);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, close.CloseStatus);

        // The client never sends its close frame: the server gives up after CloseTimeout.
        Assert.Contains("limit of 1024 bytes", await ended.Task.WaitAsync(Timeout));
        Assert.Empty(handler.Texts);
    }

    [Fact]
    public async Task Whole_messages_reach_the_handler_one_at_a_time_and_the_peers_close_is_answered()
    {
        var handler = new Recorder();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WebSocketServer.StartAsync(async socket =>
        {
            var connection = new PeerConnection(socket, Entrance, new ConnectionLimits { MaxMessageBytes = 1024 }, "test", TimeProvider.System,
                NullLogger.Instance);
            await connection.RunAsync(handler, CancellationToken.None);
            ended.SetResult();
        });
        using var client = await server.ConnectAsync(Timeout);

        await client.SendAsync("{\"A\""u8.ToArray(), WebSocketMessageType.Text, false, Timeout);
        await client.SendAsync(":1}"u8.ToArray(), WebSocketMessageType.Text, true, Timeout);
        await client.SendAsync("{}"u8.ToArray(), WebSocketMessageType.Text, true, Timeout);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Timeout);

        await ended.Task.WaitAsync(Timeout);
        Assert.Equal(["{\"A\":1}", "{}"], handler.Texts);
        Assert.Equal(WebSocketState.Closed, client.State);
    }

    public static TheoryData<string, bool, int, string, bool> Stamps() => new()
    {
        // what, listener, version spoken, COMMAND, MAX_MESSAGE_BYTES expected
        { "listener, version 2, EXCHANGE reply", true, 2, Commands.Exchange, true },
        { "listener, version 2, PUBLISH reply", true, 2, Commands.Publish, true },
        { "listener, version 2, a command", true, 2, Commands.Drain, false },
        { "listener, version 1 peer", true, 1, Commands.Exchange, false },
        { "client, version 2", false, 2, Commands.Exchange, false },
    };

    [Theory]
    [MemberData(nameof(Stamps))]
    public void Every_message_is_stamped_with_the_senders_identity_and_the_version_spoken(string what, bool listener, int version, string command, bool announced)
    {
        using var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = listener });
        var connection = new PeerConnection(socket, Entrance, new ConnectionLimits { MaxMessageBytes = 5000, Listener = listener }, "test",
            TimeProvider.System, NullLogger.Instance) { PeerVersion = version };

        var sent = JsonDocument.Parse(connection.Serialize(new ExchangeReply { Id = "someone-else", Command = command, Message = "ACCEPTED" },
            ProtocolJsonContext.Default.ExchangeReply)).RootElement;

        Assert.Equal(Entrance.Id, sent.GetProperty("ID").GetString());
        Assert.Equal((Entrance.Type, Entrance.Ip, Entrance.Port), (sent.GetProperty("TYPE").GetString(), sent.GetProperty("IP").GetString(), sent.GetProperty("PORT").GetString()));
        Assert.True(version == 2 == sent.TryGetProperty("VERSION", out _), what);
        Assert.True(announced == sent.TryGetProperty("MAX_MESSAGE_BYTES", out var limit), what);
        if (announced)
            Assert.Equal(5000, limit.GetInt32());
    }

    private sealed class Recorder : IPeerHandler
    {
        public List<string> Texts { get; } = [];

        public ValueTask OnTextAsync(PeerConnection connection, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
        {
            Texts.Add(Encoding.UTF8.GetString(utf8.Span));
            return default;
        }
    }
}
