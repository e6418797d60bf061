namespace Dandelion.Publisher.Boxes;

/// <summary>A box could not be reached, or would not take a PUBLISH channel.</summary>
internal sealed class BoxUnavailableException(string message) : Exception(message);
