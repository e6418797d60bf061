namespace Dandelion.Box.Entrances;

/// <summary>An advertised entrance stayed unreachable past <c>Box:AdvertisedEntranceTtl</c>: its session ends.</summary>
internal sealed class EntranceDroppedException(string url) : Exception($"Entrance {url} was unreachable too long and is dropped.");
