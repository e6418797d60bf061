namespace Dandelion.Entrance.Search;

/// <summary>A live box SEARCH may answer: its id and stored document.</summary>
internal readonly record struct Candidate(string Id, byte[] Document);
