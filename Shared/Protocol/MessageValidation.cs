using System.Net.WebSockets;
using Dandelion.Shared.Identity;

namespace Dandelion.Shared.Protocol;

/// <summary>The original's rule for every text message, shared by entrance and box.</summary>
public static class MessageValidation
{
    /// <summary>
    /// <c>ID</c>, <c>IP</c>, <c>TYPE</c> and <c>COMMAND</c> present and non-empty;
    /// <c>TYPE</c> one of the three; <c>PORT</c> present unless the sender is a publisher.
    /// Returns null when valid.
    /// </summary>
    /// <remarks>
    /// <c>TYPE</c> is checked before <c>PORT</c>: whether <c>PORT</c> is required depends on
    /// it, so an unknown <c>TYPE</c> without a port is <c>unknown-type</c>, not a missing port.
    /// </remarks>
    public static ProtocolError? Validate(NodeMessage message)
    {
        if (string.IsNullOrEmpty(message.Id)) return ProtocolError.MissingField("ID");
        if (string.IsNullOrEmpty(message.Ip)) return ProtocolError.MissingField("IP");
        if (string.IsNullOrEmpty(message.Type)) return ProtocolError.MissingField("TYPE");
        if (string.IsNullOrEmpty(message.Command)) return ProtocolError.MissingField("COMMAND");
        if (!NodeTypes.IsKnown(message.Type)) return ProtocolError.UnknownType(message.Type);
        if (string.IsNullOrEmpty(message.Port) && message.Type != NodeTypes.Publisher) return ProtocolError.MissingField("PORT");
        return null;
    }

    /// <summary>
    /// <c>ID</c> in the form the original makes it for the sender's <c>TYPE</c>
    /// (<c>box-</c>/<c>publisher-</c> and 32 hex digits): ids become parts of Redis keys and paths.
    /// Returns null when it is.
    /// </summary>
    public static ProtocolError? CheckId(NodeMessage message)
    {
        var role = message.Type == NodeTypes.Box ? NodeRole.Box : NodeRole.Publisher;
        return NodeIdentity.IsValid(message.Id, role) ? null : new ProtocolError(ProtocolErrorCodes.MissingField,
            $"{ProtocolError.WrongFormat} ID is not a {message.Type} id ({NodeIdentity.Prefix(role)}<32 hex>).", WebSocketCloseStatus.PolicyViolation);
    }
}
