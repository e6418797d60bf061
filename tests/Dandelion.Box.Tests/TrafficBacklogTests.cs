using System.Globalization;
using System.Text;
using System.Text.Json;
using Dandelion.Box.Traffic;
using Dandelion.Testing;

namespace Dandelion.Box.Tests;

/// <summary>
/// A large traffic backlog with long URLs against the real entrance and a real Redis: it once
/// made every later EXCHANGE too big, so the box was refused for good. Now it goes over in
/// batches the entrance accepts, and is counted exactly once.
/// </summary>
public sealed class TrafficBacklogTests : IAsyncLifetime
{
    private const int Entries = 10_000;
    private const string Publisher = "publisher-00112233445566778899aabbccddeeff";
    private static readonly string Query = "?token=" + new string('q', 8 * 1024 - 60);
    private EntranceRig _rig = null!;
    private EntranceHost _entrance = null!;

    public async Task InitializeAsync()
    {
        _rig = await EntranceRig.StartAsync("backlog", "backlog");
        _entrance = _rig.StartEntrance();
    }

    public async Task DisposeAsync()
    {
        await _entrance.DisposeAsync();
        await _rig.DisposeAsync();
    }

    private static long Size(int n) => 1000 + n % 7;

    private static long TotalBytes => Enumerable.Range(1, Entries).Sum(n => Size(n));

    private static string Url(int n) => $"/{Publisher}/live/seg-{n % 10}.ts{Query}";

    private BoxHost StartBox() => BoxHost.Start(_rig.BoxData, new Dictionary<string, string?>
    {
        ["Box:Entrances:0"] = _entrance.WebSocketUrl,
        ["Box:Heartbeat"] = "00:00:00.300",
    });

    private async Task<(long? Requests, long? Bytes)> CountedAsync(string boxId)
    {
        var detail = await _entrance.BoxAsync(boxId);
        return ((long?)detail?["requestsServed"], (long?)detail?["bytesServed"]);
    }

    [Fact]
    public async Task A_box_with_10000_pending_entries_of_8_KB_urls_stays_registered_and_they_are_counted_exactly_once()
    {
        // What viewers' GETs with 8 KB query strings left in the access log while the box was offline.
        Directory.CreateDirectory(_rig.BoxData);
        await using (var log = new StreamWriter(Path.Combine(_rig.BoxData, "access.log")))
        {
            for (var n = 1; n <= Entries; n++)
                await log.WriteAsync($"127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] \"GET {Url(n)} HTTP/1.1\" 200 {Size(n)} \"-\" \"test\"\n");
        }

        await using var box = StartBox();
        var outbox = box.Service<TrafficOutbox>();
        await BoxHost.EventuallyAsync(async () => await _entrance.BoxAsync(box.Id) is not null, "the box registered");
        await BoxHost.EventuallyAsync(async () =>
        {
            var detail = await _entrance.BoxAsync(box.Id);
            // Registered throughout: never refused and dropped while the backlog drains.
            Assert.NotNull(detail);
            return (long?)detail["requestsServed"] == Entries && outbox.Count == 0;
        }, "the whole backlog counted and acknowledged", TimeSpan.FromSeconds(120));

        Assert.Equal((Entries, TotalBytes), await CountedAsync(box.Id));
        // More heartbeats change nothing: nothing is counted twice.
        var seq = (long?)(await _entrance.BoxAsync(box.Id))!["lastExchange"]!["SEQ"] ?? 0;
        await BoxHost.EventuallyAsync(async () => (long?)(await _entrance.BoxAsync(box.Id))?["lastExchange"]?["SEQ"] >= seq + 3, "three more heartbeats");
        Assert.Equal((Entries, TotalBytes), await CountedAsync(box.Id));
    }

    [Fact]
    public async Task A_box_that_crashed_with_such_a_backlog_on_disk_recovers_on_restart_and_it_is_counted_exactly_once()
    {
        // The outbox as a box from before the fix left it: every entry with its whole 8 KB URL.
        Directory.CreateDirectory(_rig.BoxData);
        await using (var journal = new StreamWriter(Path.Combine(_rig.BoxData, "traffic.journal"), false, new UTF8Encoding(false)))
        {
            for (var n = 1; n <= Entries; n++)
            {
                var entry = new JournalEntry(n, Url(n), Size(n));
                await journal.WriteAsync("E " + JsonSerializer.Serialize(entry) + "\n");
            }
            await journal.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"P 0 0 {Entries + 1}\n"));
        }

        string id;
        await using (var first = StartBox())
        {
            id = first.Id;
            // Stopped as soon as part of the backlog is counted (or all of it, on a fast machine).
            await BoxHost.EventuallyAsync(async () => (await CountedAsync(id)).Requests > 0, "part of the backlog counted", TimeSpan.FromSeconds(120));
        }

        await using var again = StartBox();
        Assert.Equal(id, again.Id);
        var outbox = again.Service<TrafficOutbox>();
        await BoxHost.EventuallyAsync(async () => await CountedAsync(id) == (Entries, TotalBytes) && outbox.Count == 0,
            "the rest counted after the restart", TimeSpan.FromSeconds(120));
        var seq = (long?)(await _entrance.BoxAsync(id))!["lastExchange"]!["SEQ"] ?? 0;
        await BoxHost.EventuallyAsync(async () => (long?)(await _entrance.BoxAsync(id))?["lastExchange"]?["SEQ"] >= seq + 3, "three more heartbeats");
        Assert.Equal((Entries, TotalBytes), await CountedAsync(id));
        Assert.True(new FileInfo(Path.Combine(_rig.BoxData, "traffic.journal")).Length < 1 << 20, "the journal no longer holds the long URLs");
    }

    /// <summary>A journal line as the box writes it (docs/BOX.md): the protocol's TRAFFIC entry.</summary>
    private sealed record JournalEntry(
        [property: System.Text.Json.Serialization.JsonPropertyName("ID")] long Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("URL")] string Url,
        [property: System.Text.Json.Serialization.JsonPropertyName("SIZE")] long Size)
    {
        [System.Text.Json.Serialization.JsonPropertyName("STATUS")]
        public int Status => 200;
    }
}
