using System.Net.WebSockets;

namespace Dandelion.Shared.Protocol;

/// <summary>
/// Why a message was refused: the text for <c>ERROR</c>, the code for <c>CODE</c>, and
/// the WebSocket close status that ends the connection when the refusal is fatal.
/// <see cref="Message"/> never quotes the peer's payload (it is sent back to an untrusted
/// peer and written to logs); only protocol keys and vocabulary appear in it.
/// </summary>
public sealed record ProtocolError(string Code, string Message, WebSocketCloseStatus CloseStatus)
{
    /// <summary>The original's text, kept as the prefix of every format error.</summary>
    public const string WrongFormat = "Wrong format in your message.";

    public static ProtocolError BadJson(string detail) =>
        new(ProtocolErrorCodes.BadJson, $"{WrongFormat} Not valid JSON: {detail}", WebSocketCloseStatus.InvalidPayloadData);

    public static ProtocolError MissingField(string key) =>
        new(ProtocolErrorCodes.MissingField, $"{WrongFormat} {key} is missing or empty.", WebSocketCloseStatus.PolicyViolation);

    public static ProtocolError UnknownCommand(string? command, string? type) =>
        new(ProtocolErrorCodes.UnknownCommand, $"{WrongFormat} COMMAND {Known(command, IsKnownCommand)} is not accepted from TYPE {Known(type, NodeTypes.IsKnown)} here.", WebSocketCloseStatus.PolicyViolation);

    /// <summary>The peer's <c>TYPE</c> is not quoted back (see <see cref="Message"/>).</summary>
    public static ProtocolError UnknownType(string? type) =>
        new(ProtocolErrorCodes.UnknownType, $"{WrongFormat} TYPE is not BOX, PUBLISHER or ENTRANCE.", WebSocketCloseStatus.PolicyViolation);

    public static ProtocolError TooBig(long limit) =>
        new(ProtocolErrorCodes.TooBig, $"Message larger than the limit of {limit} bytes.", WebSocketCloseStatus.MessageTooBig);

    public static ProtocolError BinaryNotAccepted() =>
        new(ProtocolErrorCodes.BinaryNotAccepted, $"{WrongFormat} Binary frames are not accepted here.", WebSocketCloseStatus.InvalidMessageType);

    public static ProtocolError Unauthorized(string detail) =>
        new(ProtocolErrorCodes.Unauthorized, $"Not authorized: {detail}", WebSocketCloseStatus.PolicyViolation);

    public static ProtocolError RateLimited() =>
        new(ProtocolErrorCodes.RateLimited, "Too many connections from your address; try again later.", WebSocketCloseStatus.PolicyViolation);

    /// <summary>No whole first message in time, or silence past the idle timeout.</summary>
    public static ProtocolError Timeout(string detail) =>
        new(ProtocolErrorCodes.Timeout, $"Timed out: {detail}", WebSocketCloseStatus.PolicyViolation);

    public static ProtocolError Unavailable(string detail) =>
        new(ProtocolErrorCodes.Unavailable, $"Temporarily unavailable: {detail}", WebSocketCloseStatus.InternalServerError);

    /// <summary>Close descriptions are limited to 123 bytes by RFC 6455.</summary>
    public string CloseDescription => Code;

    // Error texts go back to an untrusted peer and into logs, so they never quote what the
    // peer sent, with one exception: a value from the protocol's own fixed vocabulary.
    private static string Known(string? value, Func<string?, bool> isKnown) =>
        isKnown(value) ? $"'{value}'" : "(unknown)";

    private static bool IsKnownCommand(string? command) => command is
        Commands.Exchange or Commands.Search or Commands.Publish or Commands.Stored or
        Commands.Refused or Commands.Drain or Commands.Resume or Commands.Purge;
}
