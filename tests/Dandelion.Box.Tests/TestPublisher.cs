using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dandelion.Box.Tests;

/// <summary>
/// A publisher written in the test. Version 1 sends exactly what the original Python
/// publisher sends (aiohttp, <c>json.dumps</c> with its default separators, the whole
/// file in one binary frame); version 2 adds VERSION, SIZE and SHA256 and reads the answers.
/// </summary>
internal sealed class TestPublisher(ClientWebSocket socket, string id) : IDisposable
{
    public const string DefaultId = "publisher-00112233445566778899aabbccddeeff";

    public ClientWebSocket Socket { get; } = socket;
    public string Id { get; } = id;

    public static async Task<(TestPublisher, JsonElement)> ConnectAsync(BoxHost box, int version, string id = DefaultId, string? grant = null,
        string? urlKey = null)
    {
        // A publisher learns of a box from an entrance the box has already reported to: until then
        // the box takes no publisher (it cannot yet check grants).
        var node = box.Service<Dandelion.Box.Node.BoxNode>();
        await BoxHost.EventuallyAsync(() => !node.AwaitingEntrance, "the box to hear from its entrance");
        // As a publisher that searched: the grant its entrance gives for this box, when the box has an entrance's key.
        grant ??= version >= 2 ? EntranceHost.GrantFor(box, id) : null;
        var socket = await box.ConnectAsync();
        var hello = version == 1
            ? $"{{\"ID\": \"{id}\", \"IP\": \"127.0.0.1\", \"TYPE\": \"PUBLISHER\", \"COMMAND\": \"PUBLISH\"}}"
            : JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["ID"] = id, ["IP"] = "127.0.0.1", ["TYPE"] = "PUBLISHER", ["COMMAND"] = "PUBLISH", ["VERSION"] = 2, ["GRANT"] = grant,
                ["URL_KEY"] = urlKey,
            });
        await BoxHost.SendTextAsync(socket, hello);
        var reply = await BoxHost.ReceiveJsonAsync(socket);
        Assert.NotNull(reply);
        return (new TestPublisher(socket, id), reply!.Value);
    }

    /// <summary>The original's frame: <c>b"&lt;Dandelion&gt;" + json.dumps(header).encode() + b"&lt;/Dandelion&gt;" + data</c>.</summary>
    public static byte[] Version1Frame(string filePath, object? ttl, byte[] data)
    {
        var header = ttl is null
            ? $"{{\"FILE_PATH\": {JsonSerializer.Serialize(filePath)}}}"
            : $"{{\"FILE_PATH\": {JsonSerializer.Serialize(filePath)}, \"TTL\": {JsonSerializer.Serialize(ttl)}}}";
        return [.. "<Dandelion>"u8, .. Encoding.UTF8.GetBytes(header), .. "</Dandelion>"u8, .. data];
    }

    public static byte[] Version2Frame(string filePath, object? ttl, byte[] data, long? size = null, string? sha256 = null)
    {
        var header = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["FILE_PATH"] = filePath,
            ["TTL"] = ttl,
            ["SIZE"] = size ?? data.Length,
            ["SHA256"] = sha256 ?? Convert.ToHexStringLower(SHA256.HashData(data)),
        });
        return [.. "<Dandelion>"u8, .. Encoding.UTF8.GetBytes(header), .. "</Dandelion>"u8, .. data];
    }

    /// <summary>Sends one binary message, split over several WebSocket frames of <paramref name="chunk"/> bytes.</summary>
    public async Task SendFrameAsync(byte[] frame, int chunk = 16 * 1024)
    {
        for (var offset = 0; offset < frame.Length || frame.Length == 0; offset += chunk)
        {
            var count = Math.Min(chunk, frame.Length - offset);
            await Socket.SendAsync(frame.AsMemory(offset, count), WebSocketMessageType.Binary, offset + count >= frame.Length, CancellationToken.None);
            if (frame.Length == 0)
                break;
        }
    }

    /// <summary>Version 2: sends a frame and returns the box's STORED or REFUSED.</summary>
    public async Task<JsonElement> PutAsync(byte[] frame, int chunk = 16 * 1024)
    {
        await SendFrameAsync(frame, chunk);
        var answer = await BoxHost.ReceiveJsonAsync(Socket);
        Assert.NotNull(answer);
        return answer!.Value;
    }

    public void Dispose() => Socket.Dispose();
}
