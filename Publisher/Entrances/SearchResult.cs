namespace Dandelion.Publisher.Entrances;

/// <summary>One entrance's answer: boxes best first, the grant to show each (by box id), the entrance's peers, and what boxes served of this publisher's files since its previous SEARCH.</summary>
internal sealed record SearchResult(IReadOnlyList<RankedBox> Boxes, IReadOnlyDictionary<string, string> Grants, IReadOnlyList<string> EntranceUrls, IReadOnlyList<ServedReport> Served);
