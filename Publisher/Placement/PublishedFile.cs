using Dandelion.Publisher.Boxes;

namespace Dandelion.Publisher.Placement;

/// <summary>
/// One file the publisher is keeping on boxes: its content (size, SHA256), who holds it,
/// what is in flight, and recent attempts. Every member is read and written under
/// <see cref="Gate"/>; the registry hands out the object, the placer does the work.
/// </summary>
internal sealed class PublishedFile(string filePath, string diskPath, DateTimeOffset submittedAt)
{
    private const int KeptAttempts = 12;

    public object Gate { get; } = new();
    public string FilePath { get; } = filePath;
    public string DiskPath { get; } = diskPath;
    public DateTimeOffset SubmittedAt { get; private set; } = submittedAt;

    /// <summary>Bumped whenever the content changes: answers for older content are ignored.</summary>
    public int ContentVersion { get; private set; }
    public long Size { get; private set; }
    public string Sha256 { get; private set; } = "";
    public DateTime LastWriteUtc { get; private set; }
    public long TtlSeconds { get; private set; }
    /// <summary>Until when copies are wanted on boxes; <see cref="DateTimeOffset.MaxValue"/> for TTL 0.</summary>
    public DateTimeOffset WantedUntil { get; private set; }
    public string? Stream { get; set; }
    public string? FailedReason { get; private set; }
    public bool EverPlaced { get; private set; }

    public Dictionary<string, Holder> Holders { get; } = new(StringComparer.Ordinal);
    public List<SendJob> InFlight { get; } = [];
    /// <summary>Boxes that failed this content, and until when they are skipped.</summary>
    public Dictionary<string, DateTimeOffset> FailedBoxes { get; } = new(StringComparer.Ordinal);
    public List<AttemptStatus> Attempts { get; } = [];

    /// <summary>Completed when the current content is placed on a box, fails or expires.</summary>
    public TaskCompletionSource Settled { get; private set; } = NewSettled();

    public bool HasContent(long size, DateTime lastWriteUtc) =>
        Sha256.Length > 0 && Size == size && LastWriteUtc == lastWriteUtc;

    /// <summary>New bytes at this path: every copy on boxes is of the old bytes.</summary>
    public void SetContent(long size, string sha256, DateTime lastWriteUtc, DateTimeOffset now)
    {
        if (Size == size && Sha256 == sha256)
        {
            LastWriteUtc = lastWriteUtc;
            return;
        }
        ContentVersion++;
        Size = size;
        Sha256 = sha256;
        LastWriteUtc = lastWriteUtc;
        SubmittedAt = now;
        Holders.Clear();
        InFlight.Clear();
        FailedBoxes.Clear();
        FailedReason = null;
        EverPlaced = false;
        Settled.TrySetResult();
        Settled = NewSettled();
    }

    /// <summary>Wanted for at least <paramref name="wantedFor"/> from now, sent with this TTL.</summary>
    public void Want(long ttlSeconds, TimeSpan wantedFor, DateTimeOffset now)
    {
        TtlSeconds = ttlSeconds;
        var until = ttlSeconds == 0 ? DateTimeOffset.MaxValue : now + wantedFor;
        if (FailedReason is not null || until > WantedUntil || WantedUntil <= now)
            WantedUntil = until;
        if (FailedReason is not null && !EverPlaced)
        {
            // Published again after giving up: try again.
            FailedReason = null;
            Settled = NewSettled();
        }
    }

    public void Fail(string reason)
    {
        FailedReason = reason;
        Settled.TrySetResult();
    }

    public void AddHolder(Holder holder)
    {
        Holders[holder.BoxId] = holder;
        EverPlaced = true;
        FailedBoxes.Remove(holder.BoxId);
        Settled.TrySetResult();
    }

    public void Record(AttemptStatus attempt)
    {
        Attempts.Add(attempt);
        if (Attempts.Count > KeptAttempts)
            Attempts.RemoveAt(0);
    }

    /// <summary>A holder that still has the file at <paramref name="at"/>.</summary>
    public static bool Holds(Holder holder, DateTimeOffset at) => holder.ExpiresAt > at;

    /// <summary>False while the first hash is being computed: nothing to send, nothing to sweep yet.</summary>
    public bool HasAnyContent => Sha256.Length > 0;

    public FileState StateAt(DateTimeOffset now)
    {
        if (!HasAnyContent)
            return FileState.Queued;
        if (FailedReason is not null)
            return FileState.Failed;
        if (now >= WantedUntil)
            return Holders.Values.Any(h => Holds(h, now)) ? FileState.Placed : EverPlaced ? FileState.Expired : FileState.Failed;
        if (Holders.Values.Any(h => Holds(h, now)))
            return FileState.Placed;
        return InFlight.Count > 0 ? FileState.Sending : FileState.Queued;
    }

    /// <summary>The state as the API shows it; <paramref name="noBoxReason"/> explains a wait with no attempt yet.</summary>
    public FileStatus Snapshot(DateTimeOffset now, string? noBoxReason)
    {
        var state = StateAt(now);
        return new FileStatus
        {
            Path = FilePath,
            State = state,
            Size = Size,
            Sha256 = Sha256,
            TtlSeconds = TtlSeconds,
            Stream = Stream,
            SubmittedAt = SubmittedAt,
            WantedUntil = WantedUntil == DateTimeOffset.MaxValue ? null : WantedUntil,
            Holders = Holders.Values.Where(h => Holds(h, now))
                .Select(h => new HolderStatus(h.BoxId, h.Url, h.Confirmed, h.StoredAt, h.ExpiresAt))
                .ToList(),
            SendingTo = InFlight.Select(j => j.BoxId).ToList(),
            Attempts = Attempts.ToList(),
            Error = state switch
            {
                FileState.Failed => FailedReason ?? "its TTL ran out before any box stored it.",
                FileState.Queued => Attempts.Count > 0 && Attempts[^1].Reason is { } last ? last
                    : noBoxReason is null ? "waiting for a box." : "waiting for a box: " + noBoxReason,
                _ => null,
            },
        };
    }

    private static TaskCompletionSource NewSettled() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
