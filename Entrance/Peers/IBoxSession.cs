namespace Dandelion.Entrance.Peers;

/// <summary>
/// A version 2 box session as the rest of the entrance reaches it through the
/// <see cref="SessionDirectory"/>: to relay an operator command, or to end it when the box's
/// credential is revoked. The session itself is <c>Sessions/BoxHandler</c>.
/// </summary>
internal interface IBoxSession
{
    /// <summary>Queues a command for this box; false when the box is too slow to take it.</summary>
    bool TrySendCommand(string command, string? publisher);

    /// <summary>Refuses the box and closes its connection.</summary>
    void Revoke(ProtocolError error);
}
