using Dandelion.Shared.Protocol;

namespace Dandelion.Publisher.Entrances;

/// <summary>One entrance's answer: boxes best first, the grant to show them, and the entrance's peers.</summary>
internal sealed record SearchResult(IReadOnlyList<RankedBox> Boxes, string? Grant, IReadOnlyList<string> EntranceUrls);
