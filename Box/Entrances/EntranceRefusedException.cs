namespace Dandelion.Box.Entrances;

/// <summary>An entrance answered with an error, or with something that is not an EXCHANGE reply; retried with backoff.</summary>
internal sealed class EntranceRefusedException(string message) : Exception(message);
