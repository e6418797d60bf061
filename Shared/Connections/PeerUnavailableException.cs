namespace Dandelion.Shared.Connections;

/// <summary>
/// A peer could not be reached, did not answer in time, closed, answered with something else,
/// or refused (then <see cref="Code"/> is its <c>CODE</c>, or <c>too-big</c> for a close with
/// 1009). The one fault the retry policy (<see cref="PeerRetry"/>) retries.
/// </summary>
public sealed class PeerUnavailableException(string message, string? code = null) : Exception(message)
{
    public string? Code { get; } = code;
}
