namespace Dandelion.Publisher.Boxes;

/// <summary>
/// "Send this file to this box": queued on the box session's outbox, streamed from disk
/// by its send loop, finished by its receive loop (version 2) or by the send loop
/// (version 1). <see cref="Finish"/> runs the callback once, whoever gets there first.
/// </summary>
internal sealed class SendJob(string filePath, string diskPath, long size, string sha256, long ttlSeconds,
    Action<SendJob, AttemptOutcome> onFinished)
{
    private int _finished;

    public string FilePath { get; } = filePath;
    public string DiskPath { get; } = diskPath;
    public long Size { get; } = size;
    public string Sha256 { get; } = sha256;
    public long TtlSeconds { get; } = ttlSeconds;

    /// <summary>The box it was given to; set when queued.</summary>
    public string BoxId { get; set; } = "";

    /// <summary>When the answer is due; set when sending starts.</summary>
    public DateTimeOffset Deadline { get; set; } = DateTimeOffset.MaxValue;

    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    public void Finish(AttemptOutcome outcome)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0)
            onFinished(this, outcome);
    }
}
