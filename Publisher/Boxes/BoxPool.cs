namespace Dandelion.Publisher.Boxes;

/// <summary>
/// The boxes this publisher knows: open sessions, what the last SEARCH said about each
/// box (place, score), boxes cooling down after a failure, and how many viewers were sent
/// to each. <see cref="BoxKeeper"/> fills it; placement and redirects read it.
/// </summary>
internal sealed class BoxPool(TimeProvider time)
{
    private static readonly TimeSpan MaxCooldown = TimeSpan.FromSeconds(60);
    private const int MissedChecksOut = 2;

    private readonly ConcurrentDictionary<string, BoxSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cooldown> _cooldowns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _redirects = new(StringComparer.Ordinal);
    /// <summary>Checks in a row each box did not answer (<see cref="BoxChecker"/>); absent: none missed.</summary>
    private readonly ConcurrentDictionary<string, int> _missed = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, RankedBox> _known = new Dictionary<string, RankedBox>();

    /// <summary>A session opened: files waiting for a box may go now.</summary>
    public event Action<BoxSession>? SessionOpened;

    /// <summary>A session ended: what it held cannot be counted on.</summary>
    public event Action<string>? BoxLost;

    /// <summary>A box says files it held for us are gone (box id, file paths).</summary>
    public event Action<string, IReadOnlyList<string>>? FilesLost;

    /// <summary>Placement found no box: the keeper searches without waiting for its period.</summary>
    public event Action? ShortOfBoxes;

    // The last grant each box was given in a SEARCH answer; a grant opens its own box only.
    private readonly ConcurrentDictionary<string, string> _grants = new(StringComparer.Ordinal);

    public void KeepGrants(IReadOnlyDictionary<string, string> grants)
    {
        foreach (var (box, grant) in grants)
            _grants[box] = grant;
    }

    /// <summary>The grant to show <paramref name="boxId"/>; null when no entrance gave one (auth off).</summary>
    public string? GrantFor(string boxId) => _grants.GetValueOrDefault(boxId);

    /// <summary>Forgets the grants of boxes no SEARCH offers any more.</summary>
    public void ForgetGrantsBut(IReadOnlyDictionary<string, RankedBox> known)
    {
        foreach (var box in _grants.Keys)
        {
            if (!known.ContainsKey(box))
                _grants.TryRemove(box, out _);
        }
    }

    /// <summary>Why there may be no box: the last SEARCH problem, shown in waiting files' state; null when SEARCH works.</summary>
    public string? Problem { get; set; }

    public IEnumerable<BoxSession> OpenSessions => _sessions.Values.Where(s => s.IsOpen);

    public IReadOnlyDictionary<string, RankedBox> Known => _known;

    public bool IsOpen(string boxId) => _sessions.TryGetValue(boxId, out var session) && session.IsOpen;

    public BoxSession? Session(string boxId) => _sessions.GetValueOrDefault(boxId);

    public void UpdateKnown(IReadOnlyList<RankedBox> boxes) =>
        _known = boxes.GroupBy(b => b.Id).ToDictionary(g => g.Key, g => g.MaxBy(b => b.Score)!, StringComparer.Ordinal);

    public void Add(BoxSession session)
    {
        _sessions[session.Id] = session;
        session.FilesRemoved += paths => FilesLost?.Invoke(session.Id, paths);
        SessionOpened?.Invoke(session);
    }

    public void Remove(BoxSession session)
    {
        if (((ICollection<KeyValuePair<string, BoxSession>>)_sessions).Remove(new(session.Id, session)))
        {
            _missed.TryRemove(session.Id, out _);
            BoxLost?.Invoke(session.Id);
        }
    }

    /// <summary>Viewers may be sent to the box: its session is open and it answered one of its last two checks.</summary>
    public bool IsAnswering(string boxId) => IsOpen(boxId) && _missed.GetValueOrDefault(boxId) < MissedChecksOut;

    /// <summary>Records a check of the box's file port; true when this brought it back, false when it took it out, null when nothing changed.</summary>
    public bool? RecordCheck(string boxId, bool answered)
    {
        if (answered)
            return _missed.TryRemove(boxId, out var missed) && missed >= MissedChecksOut ? true : null;
        if (!IsOpen(boxId))
            return null;
        return _missed.AddOrUpdate(boxId, 1, (_, n) => n + 1) == MissedChecksOut ? false : null;
    }

    public void RequestMore() => ShortOfBoxes?.Invoke();

    /// <summary>
    /// Keeps a failed box out of use for a jittered, doubling while (1 s, 2 s, 4 s … up to
    /// 60 s), so a box that keeps failing is never retried in a tight loop.
    /// </summary>
    public void CoolDown(string boxId)
    {
        var failures = _cooldowns.TryGetValue(boxId, out var old) ? old.Failures + 1 : 1;
        var delay = TimeSpan.FromSeconds(Math.Min(MaxCooldown.TotalSeconds, Math.Pow(2, failures - 1)));
        delay *= 0.5 + Random.Shared.NextDouble();
        _cooldowns[boxId] = new Cooldown(failures, time.GetUtcNow() + delay);
    }

    /// <summary>A session that lasted: forget earlier failures.</summary>
    public void Forgive(string boxId) => _cooldowns.TryRemove(boxId, out _);

    public bool IsCoolingDown(string boxId) =>
        _cooldowns.TryGetValue(boxId, out var cooldown) && cooldown.Until > time.GetUtcNow();

    public IReadOnlyList<string> CoolingDown => _cooldowns.Where(c => c.Value.Until > time.GetUtcNow()).Select(c => c.Key).ToList();

    public void CountRedirect(string boxId) => _redirects.AddOrUpdate(boxId, 1, (_, n) => n + 1);

    public long Redirects(string boxId) => _redirects.GetValueOrDefault(boxId);

    private readonly record struct Cooldown(int Failures, DateTimeOffset Until);
}
