namespace Dandelion.Publisher.Boxes;

/// <summary>The files of one box session that are queued or sent and not yet answered, oldest first.</summary>
internal sealed class SentJobs
{
    private readonly LinkedList<SendJob> _jobs = new();

    public void Add(SendJob job)
    {
        lock (_jobs)
            _jobs.AddLast(job);
    }

    public void Remove(SendJob job)
    {
        lock (_jobs)
            _jobs.Remove(job);
    }

    /// <summary>The oldest sent file with this <c>FILE_PATH</c>: the one an answer is for.</summary>
    public SendJob? TakeAnswered(string? filePath) => Take(j => j.FilePath == filePath && j.Deadline != DateTimeOffset.MaxValue, first: true).FirstOrDefault();

    /// <summary>Files whose send started and whose answer is overdue.</summary>
    public List<SendJob> TakeOverdue(DateTimeOffset now) => Take(j => j.Deadline < now);

    public List<SendJob> TakeAll() => Take(_ => true);

    private List<SendJob> Take(Func<SendJob, bool> which, bool first = false)
    {
        var taken = new List<SendJob>();
        lock (_jobs)
        {
            for (var node = _jobs.First; node is not null && !(first && taken.Count > 0);)
            {
                var next = node.Next;
                if (which(node.Value))
                {
                    taken.Add(node.Value);
                    _jobs.Remove(node);
                }
                node = next;
            }
        }
        return taken;
    }
}
