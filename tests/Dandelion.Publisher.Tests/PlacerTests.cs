using System.Diagnostics.Metrics;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Tests.Peers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Publisher.Tests;

/// <summary>File states over time, on a fake clock: TTLs run out without waiting for them.</summary>
public sealed class PlacerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-placer-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CancellationTokenSource _stop = new();
    private PublisherOptions _options = null!;
    private BoxPool _pool = null!;
    private Placer _placer = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "pub"));
        _options = new PublisherOptions { PublishDirectories = [Path.Combine(_root, "pub")], Replication = 1, Boxes = 1 };
        _pool = new BoxPool(_time);
        _placer = new Placer(Options.Create(_options), new PublishRoots(Options.Create(_options)), _pool, new DistrustedBoxes(_time),
            new PlacementMetrics(_services.GetRequiredService<IMeterFactory>()), _time, NullLogger<Placer>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _services.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_file_no_box_stores_before_its_TTL_runs_out_fails_and_says_why()
    {
        var path = Write("a.bin");
        var queued = await _placer.PublishAsync(path, TimeSpan.FromSeconds(30), default);
        Assert.Equal(FileState.Queued, queued.State);

        _time.Advance(TimeSpan.FromSeconds(29));
        _placer.Sweep();
        Assert.Equal(FileState.Queued, _placer.GetStatus("/pub/a.bin")!.State);

        _time.Advance(TimeSpan.FromSeconds(2));
        _placer.Sweep();
        var failed = await _placer.WaitAsync("/pub/a.bin", default);
        Assert.Equal(FileState.Failed, failed.State);
        Assert.Contains("TTL ran out", failed.Error);
    }

    [Fact]
    public async Task A_placed_file_expires_with_its_TTL_and_is_forgotten_later()
    {
        await using var box = await TestBox.StartAsync();
        var connector = new BoxConnector(Options.Create(_options), new PublisherIdentity("publisher-" + new string('a', 32)), new ViewerUrlKey(new byte[32]), new BoxCertificates(Options.Create(_options), _time), _time, NullLoggerFactory.Instance);
        var session = await connector.OpenAsync(box.Ranked(0.5), grant: null, default);
        var running = session.RunAsync(_stop.Token);
        _pool.Add(session);

        await _placer.PublishAsync(Write("b.bin"), TimeSpan.FromSeconds(60), default);
        var placed = await _placer.WaitAsync("/pub/b.bin", default);
        Assert.Equal(FileState.Placed, placed.State);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(60), placed.Holders.Single().ExpiresAt);

        _time.Advance(TimeSpan.FromSeconds(61));
        _placer.Sweep();
        var expired = _placer.GetStatus("/pub/b.bin")!;
        Assert.Equal(FileState.Expired, expired.State);
        Assert.Empty(expired.Holders);

        _time.Advance(TimeSpan.FromMinutes(11));
        _placer.Sweep();
        Assert.Null(_placer.GetStatus("/pub/b.bin"));

        session.Stop("test over");
        await running;
    }

    [Theory]
    [InlineData(3600L, 3600)]  // the box's default, as its STORED says
    [InlineData(null, 60)]     // a box that does not say: the original's default, renewed early, never kept for ever
    public async Task A_file_sent_with_TTL_0_is_held_as_long_as_the_box_says(long? storedTtl, int heldSeconds)
    {
        await using var box = await TestBox.StartAsync();
        box.StoredTtl = storedTtl;
        var connector = new BoxConnector(Options.Create(_options), new PublisherIdentity("publisher-" + new string('a', 32)), new ViewerUrlKey(new byte[32]), new BoxCertificates(Options.Create(_options), _time), _time, NullLoggerFactory.Instance);
        var session = await connector.OpenAsync(box.Ranked(0.5), grant: null, default);
        var running = session.RunAsync(_stop.Token);
        _pool.Add(session);

        await _placer.PublishAsync(Write("zero.bin"), TimeSpan.Zero, default);
        var placed = await _placer.WaitAsync("/pub/zero.bin", default);
        Assert.Equal(FileState.Placed, placed.State);
        Assert.Equal("0", Assert.Single(box.Received).Ttl);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(heldSeconds), placed.Holders.Single().ExpiresAt);

        session.Stop("test over");
        await running;
    }

    [Fact]
    public async Task A_file_sent_with_TTL_0_to_an_original_box_goes_without_a_TTL_which_the_original_would_keep_for_ever()
    {
        await using var box = await TestBox.StartAsync(version: 1);
        var connector = new BoxConnector(Options.Create(_options), new PublisherIdentity("publisher-" + new string('a', 32)), new ViewerUrlKey(new byte[32]), new BoxCertificates(Options.Create(_options), _time), _time, NullLoggerFactory.Instance);
        var session = await connector.OpenAsync(box.Ranked(0.5), grant: null, default);
        var running = session.RunAsync(_stop.Token);
        _pool.Add(session);

        await _placer.PublishAsync(Write("zero-v1.bin"), TimeSpan.Zero, default);
        await _placer.PublishAsync(Write("sixty-v1.bin"), TimeSpan.FromSeconds(90), default);
        await _placer.WaitAsync("/pub/sixty-v1.bin", default);
        await _placer.WaitAsync("/pub/zero-v1.bin", default);
        // A version 1 copy counts once the frame went out whole; the box may still be reading it.
        await Eventually.Until(() => box.Received.Count == 2, "both frames received");
        var headers = box.Received.ToDictionary(h => h.FilePath!);
        Assert.Null(headers["/pub/zero-v1.bin"].Ttl);
        Assert.Equal("90", headers["/pub/sixty-v1.bin"].Ttl);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(60), _placer.GetStatus("/pub/zero-v1.bin")!.Holders.Single().ExpiresAt);

        session.Stop("test over");
        await running;
    }

    [Fact]
    public async Task Past_the_queue_limit_a_new_file_is_refused_not_dropped_and_waiting_ones_stay()
    {
        _options.QueueLimit = 2;
        await _placer.PublishAsync(Write("q1.bin"), TimeSpan.FromSeconds(60), default);
        await _placer.PublishAsync(Write("q2.bin"), TimeSpan.FromSeconds(60), default);
        var refused = await Assert.ThrowsAsync<PublishRefusedException>(() => _placer.PublishAsync(Write("q3.bin"), TimeSpan.FromSeconds(60), default));
        Assert.Equal(PublishRefusal.QueueFull, refused.Refusal);
        Assert.Null(_placer.GetStatus("/pub/q3.bin"));
        Assert.Equal(FileState.Queued, _placer.GetStatus("/pub/q1.bin")!.State);
        // Publishing a file already waiting is not a new one.
        Assert.Equal(FileState.Queued, (await _placer.PublishAsync(Path.Combine(_root, "pub", "q2.bin"), TimeSpan.FromSeconds(90), default)).State);
    }

    [Fact]
    public async Task A_file_deleted_before_any_box_stored_it_fails_and_says_so()
    {
        var path = Write("gone.bin");
        await _placer.PublishAsync(path, TimeSpan.FromSeconds(60), default);
        File.Delete(path);
        _time.Advance(TimeSpan.FromSeconds(1));
        _placer.Sweep();
        var failed = _placer.GetStatus("/pub/gone.bin")!;
        Assert.Equal(FileState.Failed, failed.State);
        Assert.Contains("deleted", failed.Error);
    }

    [Theory]
    [InlineData("refused", "too-big", true)]          // the box's maximum will not grow for this file
    [InlineData("refused", "bad-ttl", true)]          // nor its maximum TTL
    [InlineData("refused", "bad-path", true)]         // nor its idea of a good path
    [InlineData("refused", "quota-exceeded", false)]  // space frees up as files expire
    [InlineData("refused", "draining", false)]        // a box may resume
    [InlineData("timeout", null, false)]              // a slow moment
    public void Only_refusals_that_would_repeat_keep_a_box_away_from_a_file_for_long(string result, string? code, bool lasting) =>
        Assert.Equal(lasting, new AttemptOutcome(Enum.Parse<AttemptResult>(result, ignoreCase: true), "why", Code: code).Lasting);

    [Fact]
    public async Task Publishing_again_a_file_that_changed_replaces_its_copies()
    {
        var path = Write("c.bin");
        var first = await _placer.PublishAsync(path, TimeSpan.FromSeconds(60), default);
        await File.WriteAllBytesAsync(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var second = await _placer.PublishAsync(path, TimeSpan.FromSeconds(60), default);
        Assert.NotEqual(first.Sha256, second.Sha256);
        Assert.Equal(3, second.Size);
    }

    private string Write(string name)
    {
        var path = Path.Combine(_root, "pub", name);
        var bytes = new byte[4096];
        new Random(name.Length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
