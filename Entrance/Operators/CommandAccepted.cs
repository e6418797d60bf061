namespace Dandelion.Entrance.Operators;

/// <summary>The answer to a box command: how many entrances heard it (the one holding the session passes it on).</summary>
internal sealed record CommandAccepted(string Box, string Command, long EntrancesReached);
