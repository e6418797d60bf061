namespace Dandelion.Publisher.Boxes;

internal enum AttemptResult
{
    /// <summary>Version 2: the box answered STORED with the file's SHA256.</summary>
    Stored,
    /// <summary>Version 1: the frame was sent whole; the protocol has no answer.</summary>
    SentUnconfirmed,
    /// <summary>The box answered REFUSED, or STORED with another hash.</summary>
    Refused,
    /// <summary>No answer, or the send did not finish, within <c>Publisher:SendTimeout</c>.</summary>
    Timeout,
    /// <summary>The connection ended, or the file could not be read, before an answer.</summary>
    Dropped,
}
