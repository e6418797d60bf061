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
}
