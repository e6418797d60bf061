namespace Dandelion.Shared.Protocol;

/// <summary>The original's rule for every text message, shared by entrance and box.</summary>
public static class MessageValidation
{
    /// <summary>
    /// <c>ID</c>, <c>IP</c>, <c>TYPE</c> and <c>COMMAND</c> present and non-empty;
    /// <c>PORT</c> too unless the sender is a publisher. Returns null when valid.
    /// </summary>
    public static ProtocolError? Validate(NodeMessage message)
    {
        if (string.IsNullOrEmpty(message.Id)) return ProtocolError.MissingField("ID");
        if (string.IsNullOrEmpty(message.Ip)) return ProtocolError.MissingField("IP");
        if (string.IsNullOrEmpty(message.Type)) return ProtocolError.MissingField("TYPE");
        if (string.IsNullOrEmpty(message.Command)) return ProtocolError.MissingField("COMMAND");
        if (string.IsNullOrEmpty(message.Port) && message.Type != NodeTypes.Publisher) return ProtocolError.MissingField("PORT");
        if (!NodeTypes.IsKnown(message.Type)) return ProtocolError.UnknownType(message.Type);
        return null;
    }
}
