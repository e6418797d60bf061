namespace Dandelion.Publisher.Boxes;

/// <summary>How one file frame sent to one box ended.</summary>
/// <param name="KeptFor">For a stored copy: how long the box said it keeps it (STORED's <c>TTL</c>), when it said.</param>
internal readonly record struct AttemptOutcome(AttemptResult Result, string? Reason, string? Url = null, string? Code = null, TimeSpan? KeptFor = null)
{
    /// <summary>Refusals that the same box would repeat for the same file, however often it is sent.</summary>
    public bool Lasting => Result == AttemptResult.Refused &&
        Code is Dandelion.Shared.Protocol.ProtocolErrorCodes.TooBig or Dandelion.Shared.Protocol.ProtocolErrorCodes.BadTtl or Dandelion.Shared.Protocol.ProtocolErrorCodes.BadPath;

    public bool Stored => Result is AttemptResult.Stored or AttemptResult.SentUnconfirmed;

    public string Word => Result switch
    {
        AttemptResult.Stored => "stored",
        AttemptResult.SentUnconfirmed => "sent-unconfirmed",
        AttemptResult.Refused => "refused",
        AttemptResult.Timeout => "timeout",
        _ => "dropped",
    };
}
