using Dandelion.Shared.Protocol;

namespace Dandelion.Publisher.Entrances;

/// <summary>One entrance's answer: boxes best first, the grant to show each (by box id), and the entrance's peers.</summary>
internal sealed record SearchResult(IReadOnlyList<RankedBox> Boxes, IReadOnlyDictionary<string, string> Grants, IReadOnlyList<string> EntranceUrls);
