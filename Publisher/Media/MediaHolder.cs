namespace Dandelion.Publisher.Media;

/// <summary>A box holding a file, and the URL viewers fetch it from.</summary>
internal sealed record MediaHolder(string Box, string Url, bool Confirmed);
