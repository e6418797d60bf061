using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Dandelion.Entrance.Peers;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Sessions;

/// <summary>
/// Turns a text frame into an <see cref="InboundMessage"/> or the error it must be answered with
/// (docs/PROTOCOL.md, Validation and errors). Pure: no I/O, so every rule is unit-tested.
/// </summary>
internal static class InboundParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <param name="command">The <c>COMMAND</c> as received, for the error reply, when one could be read.</param>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, out InboundMessage? message, out ProtocolError? error, out string? command)
    {
        message = null;
        command = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            error = ProtocolError.BadJson($"line {ex.LineNumber}, byte {ex.BytePositionInLine}.");
            return false;
        }

        try
        {
            error = Read(document, utf8, out var parsed, out command);
            if (error is not null)
                return false;
            message = new InboundMessage(document, parsed!);
            document = null!;
            return true;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static ProtocolError? Read(JsonDocument document, ReadOnlyMemory<byte> utf8, out NodeMessage? message, out string? command)
    {
        message = null;
        command = null;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return ProtocolError.BadJson($"expected a JSON object, found {root.ValueKind}.");

        // Peek at TYPE and COMMAND to pick the record; the record then reads every key in one pass.
        command = Text(root, "COMMAND");
        var type = Text(root, "TYPE");
        ProtocolError? bad;
        var ok = (type, command) switch
        {
            (NodeTypes.Box, Commands.Exchange) => Parse(utf8, ProtocolJsonContext.Default.ExchangeRequest, out message, out bad),
            (NodeTypes.Publisher, Commands.Search) => Parse(utf8, ProtocolJsonContext.Default.SearchRequest, out message, out bad),
            _ => Parse(utf8, ProtocolJsonContext.Default.MessageHead, out message, out bad),
        };
        if (!ok)
            return bad;

        var node = message!;
        message = null;
        if (MessageValidation.Validate(node) is { } invalid)
            return invalid;
        if (node is MessageHead)
            return ProtocolError.UnknownCommand(node.Command, node.Type);

        if (MessageValidation.CheckId(node) is { } badId)
            return badId;

        if (node is SearchRequest { Location: { } at } && (at.Latitude is < -90 or > 90 || at.Longitude is < -180 or > 180 || double.IsNaN(at.Latitude) || double.IsNaN(at.Longitude)))
            return ProtocolError.BadJson("LOCATION must have LAT within ±90 and LON within ±180.");
        if (node is SearchRequest { Count: <= 0 })
            return ProtocolError.BadJson("COUNT must be a positive whole number.");

        message = node;
        return null;
    }

    /// <summary>The shared parser: its errors never quote the peer's keys or values.</summary>
    private static bool Parse<T>(ReadOnlyMemory<byte> utf8, JsonTypeInfo<T> type, out NodeMessage? message, out ProtocolError? error) where T : NodeMessage
    {
        var ok = ProtocolJson.TryParse(utf8.Span, type, out var parsed, out error);
        message = parsed;
        return ok;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
