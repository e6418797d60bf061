using System.Net.WebSockets;
using System.Text.Json;
using Dandelion.Entrance.Peers;
using Dandelion.Shared.Identity;
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
        var parsed = (type, command) switch
        {
            (NodeTypes.Box, Commands.Exchange) => Deserialize(utf8, ProtocolJsonContext.Default.ExchangeRequest),
            (NodeTypes.Publisher, Commands.Search) => Deserialize(utf8, ProtocolJsonContext.Default.SearchRequest),
            _ => Deserialize(utf8, ProtocolJsonContext.Default.MessageHead),
        };
        if (parsed.Error is not null)
            return parsed.Error;

        var node = parsed.Message!;
        if (MessageValidation.Validate(node) is { } invalid)
            return invalid;
        if (node is MessageHead)
            return ProtocolError.UnknownCommand(node.Command, node.Type);

        // Ids become parts of Redis keys: only the form the original makes them in is taken.
        var role = node.Type == NodeTypes.Box ? NodeRole.Box : NodeRole.Publisher;
        if (!NodeIdentity.IsValid(node.Id, role))
            return new ProtocolError(ProtocolErrorCodes.MissingField,
                $"{ProtocolError.WrongFormat} ID is not a {node.Type} id ({NodeIdentity.Prefix(role)}<32 hex>).", WebSocketCloseStatus.PolicyViolation);

        if (node is SearchRequest { Location: { } at } && (at.Latitude is < -90 or > 90 || at.Longitude is < -180 or > 180 || double.IsNaN(at.Latitude) || double.IsNaN(at.Longitude)))
            return ProtocolError.BadJson("LOCATION must have LAT within ±90 and LON within ±180.");
        if (node is SearchRequest { Count: <= 0 })
            return ProtocolError.BadJson("COUNT must be a positive whole number.");

        message = node;
        return null;
    }

    private static (NodeMessage? Message, ProtocolError? Error) Deserialize<T>(ReadOnlyMemory<byte> utf8, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : NodeMessage
    {
        try
        {
            var value = JsonSerializer.Deserialize(utf8.Span, type);
            return value is null ? (null, ProtocolError.BadJson("expected a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, ProtocolError.BadJson(ex.Path is { Length: > 0 } path ? $"bad value at {path}." : "bad value."));
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
