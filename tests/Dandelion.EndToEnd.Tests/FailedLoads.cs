using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// Every load of a page that failed, as the browser's network saw it: a request that failed
/// (refused, reset, aborted on a timeout) or an answer of 400 or more. Each with its time and
/// URL, for a failure message.
/// </summary>
internal sealed class FailedLoads
{
    private readonly ConcurrentQueue<string> _failures = new();

    /// <param name="counts">Which URLs are counted (the stream's, not the page's own files).</param>
    public FailedLoads(IPage page, Func<string, bool> counts)
    {
        page.RequestFailed += (_, request) =>
        {
            if (counts(request.Url))
                _failures.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {request.Method} {request.Url}: {request.Failure}");
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && counts(response.Url))
                _failures.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {response.Request.Method} {response.Url}: {response.Status}");
        };
    }

    public int Count => _failures.Count;

    public override string ToString() =>
        _failures.IsEmpty ? "0 failed loads." : $"{_failures.Count} failed loads:\n{string.Join('\n', _failures)}";
}
