namespace Dandelion.Shared.Protocol;

/// <summary>The values of <c>TYPE</c>.</summary>
public static class NodeTypes
{
    public const string Box = "BOX";
    public const string Entrance = "ENTRANCE";
    public const string Publisher = "PUBLISHER";

    public static bool IsKnown(string? type) => type is Box or Entrance or Publisher;
}
