namespace Dandelion.Entrance.Configuration;

/// <summary><c>Entrance:Search:Weights</c>: how much each part of a box's score counts (docs/PROTOCOL.md, SEARCH).</summary>
internal sealed class ScoreWeights
{
    public double Distance { get; set; } = 0.4;
    public double Bandwidth { get; set; } = 0.3;
    public double Storage { get; set; } = 0.15;
    public double Load { get; set; } = 0.15;
}
