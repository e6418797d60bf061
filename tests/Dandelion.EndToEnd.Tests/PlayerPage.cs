using System.Text.Json;
using Microsoft.Playwright;

namespace Dandelion.EndToEnd.Tests;

/// <summary>The publisher's player page in the browser: its counters and the video element's state.</summary>
internal sealed class PlayerPage(IPage page)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IPage Page { get; } = page;

    public async Task<PlayerStats> StatsAsync() =>
        (await Page.EvaluateAsync<JsonElement>("() => window.dandelionStats")).Deserialize<PlayerStats>(Json)!;

    /// <summary>The page's clock, ms: the same clock as the samples and segment loads.</summary>
    public Task<double> NowAsync() => Page.EvaluateAsync<double>("() => performance.now()");

    /// <summary>Whether this browser's Media Source Extensions take H.264 + AAC in MPEG-TS as hls.js remuxes it (fMP4).</summary>
    public Task<bool> PlaysH264Async() =>
        Page.EvaluateAsync<bool>("() => window.MediaSource !== undefined && MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.64001e,mp4a.40.2\"')");

    /// <summary>Starts the page sampling its own video element every 100 ms, by its own clock.</summary>
    public Task StartSamplingAsync() => Page.EvaluateAsync("""
        () => {
          const video = document.getElementById("video");
          window.dandelionSamples = [];
          setInterval(() => {
            const quality = video.getVideoPlaybackQuality();
            window.dandelionSamples.push({
              t: performance.now(), ct: video.currentTime, error: video.error ? video.error.code : 0,
              frames: quality.totalVideoFrames, paused: video.paused });
          }, 100);
        }
        """);

    public async Task<IReadOnlyList<PlaybackSample>> SamplesAsync() =>
        (await Page.EvaluateAsync<JsonElement>("() => window.dandelionSamples")).Deserialize<List<PlaybackSample>>(Json)!;

    /// <summary>The video element now: currentTime (s), error code (0: none), frames decoded.</summary>
    public async Task<PlaybackSample> VideoAsync() =>
        (await Page.EvaluateAsync<JsonElement>("""
            () => {
              const video = document.getElementById("video");
              return { t: performance.now(), ct: video.currentTime, error: video.error ? video.error.code : 0,
                       frames: video.getVideoPlaybackQuality().totalVideoFrames, paused: video.paused };
            }
            """)).Deserialize<PlaybackSample>(Json)!;

    /// <summary>
    /// The longest span during which currentTime stood still: from the first to the last sample
    /// showing the same value. A sample delayed by a busy machine cannot lengthen it, since
    /// a playing video has moved on by the next sample.
    /// </summary>
    public static (double Milliseconds, double At) LongestStill(IReadOnlyList<PlaybackSample> samples)
    {
        var longest = (Milliseconds: 0.0, At: 0.0);
        var i = 0;
        while (i < samples.Count)
        {
            var j = i;
            while (j + 1 < samples.Count && samples[j + 1].Ct == samples[i].Ct)
                j++;
            var still = samples[j].T - samples[i].T;
            if (still > longest.Milliseconds)
                longest = (still, samples[i].T);
            i = j + 1;
        }
        return longest;
    }
}
