using System.Text.Json.Serialization.Metadata;
using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Connections;

/// <summary>
/// Who this node is, as every message it sends says (<c>ID</c>, <c>TYPE</c>, <c>IP</c>,
/// <c>PORT</c>, <c>VERSION</c>): the one place a message gets its sender's identity.
/// </summary>
/// <param name="Port">Null for a publisher, which sends none.</param>
public sealed record NodeStamp(string Id, string Type, string Ip, string? Port)
{
    /// <summary>
    /// The message as this node sends it to a peer speaking <paramref name="version"/>, serialized for a
    /// text frame: <c>VERSION</c> 2 to a version 2 peer, none to a version 1 one.
    /// </summary>
    public byte[] Serialize<T>(T message, JsonTypeInfo<T> type, int version) where T : NodeMessage =>
        ProtocolJson.Serialize(message with
        {
            Id = Id,
            Type = Type,
            Ip = Ip,
            Port = Port,
            Version = version >= ProtocolVersion.V2 ? ProtocolVersion.V2 : null,
        }, type);

    /// <summary>The original's answer to a refused message: <c>ERROR</c>, and <c>CODE</c> where the peer is told it.</summary>
    public byte[] SerializeError(ProtocolError error, string? command, int version, bool withCode) =>
        Serialize(new ErrorReply { Command = command, Error = error.Message, Code = withCode ? error.Code : null },
            ProtocolJsonContext.Default.ErrorReply, version);
}
