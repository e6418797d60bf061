namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// One look at the video element, taken by the page itself every 100 ms: the page's clock
/// (<c>performance.now()</c>, ms), <c>currentTime</c> (s), <c>error</c> code (0: none), frames
/// decoded so far, paused.
/// </summary>
internal sealed record PlaybackSample(double T, double Ct, int Error, long Frames, bool Paused);
