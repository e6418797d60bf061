namespace Dandelion.Publisher.Boxes;

/// <summary>How one file frame sent to one box ended.</summary>
internal readonly record struct AttemptOutcome(AttemptResult Result, string? Reason, string? Url = null)
{
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
