namespace Dandelion.Publisher.Entrances;

/// <summary>An entrance could not be reached or would not answer SEARCH.</summary>
internal sealed class EntranceUnavailableException(string message) : Exception(message);
