namespace Dandelion.Publisher.Placement;

/// <summary>A file the publisher will not take, and why.</summary>
public sealed class PublishRefusedException(PublishRefusal refusal, string message) : Exception(message)
{
    public PublishRefusal Refusal { get; } = refusal;
}
