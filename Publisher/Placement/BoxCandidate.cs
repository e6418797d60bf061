namespace Dandelion.Publisher.Placement;

/// <summary>A box that could take a file: its SEARCH score and the bytes it has waiting.</summary>
internal readonly record struct BoxCandidate(string Id, double Score, long PendingBytes, long PlacedBytes);
