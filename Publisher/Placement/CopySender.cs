using System.Diagnostics;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Telemetry;

namespace Dandelion.Publisher.Placement;

/// <summary>
/// The sending half of <see cref="Placer"/>: for one file, which boxes get a new copy
/// (<see cref="CopyTargets"/>), a <see cref="SendJob"/> on each, and what each outcome makes of
/// the file's holders. It writes placement state only under the file's gate, on the placer's behalf.
/// </summary>
internal sealed partial class CopySender(PublisherOptions options, BoxPool pool, DistrustedBoxes distrusted, PlacementMetrics metrics,
    TimeProvider time, ILogger logger)
{
    /// <summary>A box that failed a file is not given that file again for this long.</summary>
    private static readonly TimeSpan FailedBoxPause = TimeSpan.FromSeconds(5);
    /// <summary>…or this long when it refused it for a reason that will not change (too big, TTL over its maximum).</summary>
    private static readonly TimeSpan RefusedBoxPause = TimeSpan.FromMinutes(10);
    /// <summary>A holder whose copy ends within this much of a still-wanted file's need gets a fresh copy (at most a minute, at most a third of the TTL).</summary>
    private static readonly TimeSpan MaxRenewMargin = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan UnsaidDefaultTtl = TimeSpan.FromSeconds(60);

    /// <summary>Sends the file to as many boxes as it lacks copies on; asks for more boxes when none can take it.</summary>
    public void Pump(PublishedFile file)
    {
        var now = time.GetUtcNow();
        var starved = false;
        lock (file.Gate)
        {
            if (file.FailedReason is not null || !file.HasAnyContent || now >= file.WantedUntil)
                return;
            var margin = TimeSpan.FromSeconds(Math.Min(MaxRenewMargin.TotalSeconds, file.TtlSeconds / 3.0));
            var kept = file.Holders.Values
                .Where(h => pool.IsOpen(h.BoxId) && (h.ExpiresAt >= file.WantedUntil || h.ExpiresAt > now + margin))
                .ToList();
            // Only copies viewers can be sent to (a file URL) count toward Replication.
            var good = kept.Count(h => h.Url is not null);
            var servingInFlight = file.InFlight.Count(j => CanServe(j.BoxId));
            var need = options.Replication - good - servingInFlight;
            if (need <= 0)
                return;
            if (!File.Exists(file.DiskPath))
            {
                // Deleted (ffmpeg's delete_segments does that): no new copy can be made.
                if (kept.Count == 0 && file.InFlight.Count == 0 && !file.EverPlaced)
                    file.Fail("the file was deleted before any box stored it.");
                return;
            }

            var busy = kept.Select(h => h.BoxId).ToHashSet(StringComparer.Ordinal);
            busy.UnionWith(file.InFlight.Select(j => j.BoxId));
            var candidates = pool.OpenSessions
                .Where(s => !busy.Contains(s.Id) && !distrusted.Contains(s.Id) && !(s.MaxFileSize < file.Size) &&
                            !(file.FailedBoxes.TryGetValue(s.Id, out var skipUntil) && now < skipUntil))
                .ToList();
            var version = file.ContentVersion;
            var room = options.Replication - (kept.Count - good) - (file.InFlight.Count - servingInFlight);
            foreach (var boxId in CopyTargets.Choose(candidates, need, room, Random.Shared))
            {
                var span = PublisherTraces.StartDetached("placement", ActivityKind.Client);
                span?.SetTag("dandelion.file", file.FilePath).SetTag("dandelion.box", boxId).SetTag("dandelion.file.size", file.Size);
                var job = new SendJob(file.FilePath, file.DiskPath, file.Size, file.Sha256, file.TtlSeconds, (j, outcome) =>
                {
                    span?.SetTag("dandelion.outcome", outcome.Word).Dispose();
                    Finished(file, version, j, outcome);
                });
                if (pool.Session(boxId)?.TryEnqueue(job) == true)
                    file.InFlight.Add(job);
                else
                    span?.SetTag("dandelion.outcome", "not-queued").Dispose();
            }
            starved = good == 0 && file.InFlight.Count(j => CanServe(j.BoxId)) == 0;
        }
        if (starved)
            pool.RequestMore();
    }

    private bool CanServe(string boxId) => pool.Session(boxId)?.HttpUrl is not null;

    private void Finished(PublishedFile file, int version, SendJob job, AttemptOutcome outcome)
    {
        var now = time.GetUtcNow();
        lock (file.Gate)
        {
            file.InFlight.Remove(job);
            if (version != file.ContentVersion)
                return;
            file.Record(new AttemptStatus(job.BoxId, now, outcome.Word, outcome.Reason));
            if (outcome.Stored && !distrusted.Contains(job.BoxId))
            {
                var expires = now + KeptFor(job, outcome);
                file.AddHolder(new Holder(job.BoxId, outcome.Url, outcome.Result == AttemptResult.Stored, now, expires));
            }
            else
            {
                file.FailedBoxes[job.BoxId] = now + (outcome.Lasting ? RefusedBoxPause : FailedBoxPause);
            }
        }
        metrics.Attempt(outcome, job.Size);
        if (!outcome.Stored)
            Log.AttemptFailed(logger, job.FilePath, job.BoxId, outcome.Word, outcome.Reason);
        Pump(file);
    }

    /// <summary>
    /// How long a copy lasts: what the box said in STORED; else the TTL sent; else (TTL 0, the
    /// box's default, from a box that does not say) the original's default of 60 s, so the copy
    /// is renewed early rather than trusted for ever.
    /// </summary>
    private static TimeSpan KeptFor(SendJob job, AttemptOutcome outcome) =>
        outcome.KeptFor ?? (job.TtlSeconds > 0 ? TimeSpan.FromSeconds(job.TtlSeconds) : UnsaidDefaultTtl);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{FilePath} was not placed on {BoxId} ({Outcome}): {Reason}")]
        public static partial void AttemptFailed(ILogger logger, string filePath, string boxId, string outcome, string? reason);
    }
}
