namespace Dandelion.Entrance.Configuration;

/// <summary><c>Entrance:Search</c>.</summary>
internal sealed class SearchOptions
{
    /// <summary>Boxes answered when a SEARCH gives no <c>COUNT</c> (and always to version 1). Default 20, as the original.</summary>
    public int DefaultCount { get; set; } = 20;

    /// <summary>Cap on <c>COUNT</c>. Default 100.</summary>
    public int MaxCount { get; set; } = 100;

    public ScoreWeights Weights { get; set; } = new();
}
