using Polly;
using Polly.Retry;

namespace Dandelion.Shared.Connections;

/// <summary>
/// The one retry policy for reaching peers: jittered exponential backoff from one second (or
/// <c>maxDelay</c>, if shorter) up to <c>maxDelay</c>, for ever, on <see cref="PeerUnavailableException"/>
/// only; anything else is a bug and surfaces.
/// </summary>
public static class PeerRetry
{
    /// <param name="onRetry">Told the attempt number, the delay before it and why the last one failed.</param>
    public static ResiliencePipeline Build(TimeProvider time, TimeSpan maxDelay, Action<int, TimeSpan, string> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PeerUnavailableException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(Math.Min(1, maxDelay.TotalSeconds)),
                MaxDelay = maxDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    onRetry(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            })
            .Build();
}
