using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Dandelion.Publisher.Tests.Peers;

namespace Dandelion.Publisher.Tests;

/// <summary>
/// The publisher's spans as a trace exporter sees them (docs/OPERATIONS.md, Traces): one per
/// placement attempt, from choosing a box to its answer, and one per redirect, each with its tags.
/// </summary>
public sealed class TracesTests
{
    [Fact]
    public async Task A_placement_and_a_redirect_are_each_a_span_with_the_file_and_the_box()
    {
        // Process-wide: other tests' spans arrive too, so each is picked out by this test's own file.
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Dandelion.Publisher",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var entrance = await TestEntrance.StartAsync();
        await using var box = await TestBox.StartAsync();
        entrance.Offer(box.Ranked(0.9));
        await using var publisher = await PublisherHost.StartAsync([entrance.Url], new Dictionary<string, string?> { ["Publisher:Replication"] = "1" });
        var file = "/pub/traces/" + Guid.NewGuid().ToString("N") + ".bin";
        var path = publisher.WriteFile(file["/pub/".Length..], 20_000);

        await publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(60), default);
        await Eventually.Until(async () => await publisher.StatusAsync(file) is { Holders.Count: 1 } s && s.Holders[0].Confirmed, "the file on the box");
        using (var media = await publisher.Viewer.GetAsync("media" + file))
            Assert.Equal(HttpStatusCode.Redirect, media.StatusCode);

        var placement = await Eventually.Until(() => Task.FromResult(spans.FirstOrDefault(s => s.OperationName == "placement" && (string?)s.GetTagItem("dandelion.file") == file)),
            "the placement span to end");
        Assert.Equal(ActivityKind.Client, placement.Kind);
        Assert.Equal(box.Id, placement.GetTagItem("dandelion.box"));
        Assert.Equal(20_000L, placement.GetTagItem("dandelion.file.size"));
        Assert.Equal("stored", placement.GetTagItem("dandelion.outcome"));

        var redirect = Assert.Single(spans, s => s.OperationName == "redirect" && (string?)s.GetTagItem("dandelion.file") == file);
        Assert.Equal(box.Id, redirect.GetTagItem("dandelion.box"));
        Assert.Equal(1, redirect.GetTagItem("dandelion.holders"));
    }
}
