using Dandelion.Box.Traffic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Box.Tests;

public sealed class TrafficTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-traffic-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private string LogPath => Path.Combine(_data, "access.log");

    private static string Line(int n, int status = 200) =>
        $"127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] \"GET /p/{n}.ts HTTP/1.1\" {status} {n} \"-\" \"test\"\n";

    private (TrafficOutbox, AccessLogFollower) Open(int limit = 100_000)
    {
        var options = TestStores.Options(_data, o => o.OutboxLimit = limit);
        var outbox = TestStores.Outbox(options);
        var follower = new AccessLogFollower(options, outbox, new BandwidthMeter(new FakeTimeProvider()), TestStores.Metrics(),
            NullLogger<AccessLogFollower>.Instance);
        return (outbox, follower);
    }

    private static List<string> Urls(TrafficOutbox outbox) => outbox.Peek(int.MaxValue).Select(e => e.Url!).ToList();

    [Fact]
    public void Acknowledged_entries_go_and_the_rest_survive_a_restart_with_their_ids()
    {
        var options = TestStores.Options(_data);
        using (var outbox = TestStores.Outbox(options))
        {
            outbox.Append([new("/a", 200, 1, null), new("/b", 200, 2, null), new("/c", 206, 3, null)], new LogPosition(7, 100));
            Assert.Equal([1L, 2, 3], outbox.Peek(10).Select(e => e.Id));
            outbox.Acknowledge(2);
            Assert.Equal([3L], outbox.Peek(10).Select(e => e.Id));
        }
        using var reopened = TestStores.Outbox(options);
        var left = Assert.Single(reopened.Peek(10));
        Assert.Equal((3L, "/c", 206L, 3L), (left.Id, left.Url, left.Status, left.Size));
        Assert.Equal(4, reopened.NextId);
        Assert.Equal(new LogPosition(7, 100), reopened.Position);
    }

    [Fact]
    public void A_batch_torn_by_a_crash_is_forgotten_with_its_position_so_it_is_read_again()
    {
        var options = TestStores.Options(_data);
        using (var outbox = TestStores.Outbox(options))
            outbox.Append([new("/a", 200, 1, null)], new LogPosition(7, 50));
        // A crash in the middle of the next batch: entries written, position line not.
        File.AppendAllText(Path.Combine(_data, "traffic.journal"), "E {\"ID\":2,\"URL\":\"/b\",\"STATUS\":200,\"SIZE\":1}\nE {\"ID\":3,\"UR");
        using var reopened = TestStores.Outbox(options);
        Assert.Equal([1L], reopened.Peek(10).Select(e => e.Id));
        Assert.Equal(2, reopened.NextId);
        Assert.Equal(new LogPosition(7, 50), reopened.Position);
    }

    [Fact]
    public void Urls_are_kept_without_their_query_string_also_from_an_older_journal()
    {
        var options = TestStores.Options(_data);
        // Written by a box from before the rule: the whole request target.
        File.WriteAllText(Path.Combine(_data, "traffic.journal"),
            "E {\"ID\":1,\"URL\":\"/p/a.ts?token=" + new string('x', 8000) + "\",\"STATUS\":200,\"SIZE\":1}\nP 7 100 2\n");
        using var outbox = TestStores.Outbox(options);
        outbox.Append([new("/p/b.ts?n=1&q=%3F", 200, 2, null), new("/p/c.ts", 200, 3, null), new("/p/d.ts?", 200, 4, null)], new LogPosition(7, 200));
        Assert.Equal(["/p/a.ts", "/p/b.ts", "/p/c.ts", "/p/d.ts"], Urls(outbox));
        Assert.True(new FileInfo(Path.Combine(_data, "traffic.journal")).Length < 1000, "the old journal was rewritten without the query strings");
    }

    [Fact]
    public void A_full_outbox_drops_the_oldest()
    {
        var (outbox, follower) = Open(limit: 5);
        using (outbox)
        using (follower)
        {
            File.WriteAllText(LogPath, string.Concat(Enumerable.Range(1, 8).Select(n => Line(n))));
            Assert.Equal(8, follower.Poll());
            Assert.Equal([4L, 5, 6, 7, 8], outbox.Peek(10).Select(e => e.Id));
        }
    }

    [Fact]
    public void Follows_whole_lines_keeps_served_requests_only_and_never_touches_the_log()
    {
        var (outbox, follower) = Open();
        using (outbox)
        using (follower)
        {
            Assert.Equal(0, follower.Poll()); // no log yet
            File.WriteAllText(LogPath, Line(1) + Line(2, 404) + Line(3, 304) + "garbage\n" + Line(4).TrimEnd('\n')[..20]);
            Assert.Equal(2, follower.Poll());
            Assert.Equal(["/p/1.ts", "/p/3.ts"], Urls(outbox));

            File.AppendAllText(LogPath, Line(4)[20..] + Line(5));
            Assert.Equal(2, follower.Poll());
            Assert.Equal(["/p/1.ts", "/p/3.ts", "/p/4.ts", "/p/5.ts"], Urls(outbox));
            Assert.Equal(0, follower.Poll());
            Assert.True(File.Exists(LogPath));
        }
    }

    [Fact]
    public void Rotation_by_rename_loses_no_line_and_repeats_none()
    {
        var (outbox, follower) = Open();
        using (outbox)
        using (follower)
        {
            File.WriteAllText(LogPath, Line(1));
            Assert.Equal(1, follower.Poll());
            // nginx: rename, keep writing to the old file until reopen, then a new file.
            File.Move(LogPath, LogPath + ".1");
            File.AppendAllText(LogPath + ".1", Line(2));
            File.WriteAllText(LogPath, Line(3));
            follower.Poll();
            File.AppendAllText(LogPath, Line(4));
            follower.Poll();
            Assert.Equal(["/p/1.ts", "/p/2.ts", "/p/3.ts", "/p/4.ts"], Urls(outbox));
            Assert.Equal([1L, 2, 3, 4], outbox.Peek(10).Select(e => e.Id));
        }
    }

    [Fact]
    public void A_rotation_while_the_box_was_down_is_finished_from_the_saved_position()
    {
        var (outbox, follower) = Open();
        using (outbox)
        using (follower)
        {
            File.WriteAllText(LogPath, Line(1));
            Assert.Equal(1, follower.Poll());
        }
        File.AppendAllText(LogPath, Line(2));
        File.Move(LogPath, LogPath + ".1");
        File.WriteAllText(LogPath, Line(3));

        var (outbox2, follower2) = Open();
        using (outbox2)
        using (follower2)
        {
            Assert.Equal(2, follower2.Poll());
            Assert.Equal(["/p/1.ts", "/p/2.ts", "/p/3.ts"], Urls(outbox2));
            Assert.Equal([1L, 2, 3], outbox2.Peek(10).Select(e => e.Id));
        }
    }

    [Fact]
    public void A_restart_resumes_where_it_stopped()
    {
        var (outbox, follower) = Open();
        using (outbox)
        using (follower)
        {
            File.WriteAllText(LogPath, Line(1) + Line(2));
            follower.Poll();
            outbox.Acknowledge(2);
        }
        File.AppendAllText(LogPath, Line(3));
        var (outbox2, follower2) = Open();
        using (outbox2)
        using (follower2)
        {
            Assert.Equal(1, follower2.Poll());
            var entry = Assert.Single(outbox2.Peek(10));
            Assert.Equal((3L, "/p/3.ts"), (entry.Id, entry.Url));
        }
    }

    [Fact]
    public void A_truncated_log_is_read_from_its_start()
    {
        var (outbox, follower) = Open();
        using (outbox)
        using (follower)
        {
            File.WriteAllText(LogPath, Line(1) + Line(2));
            follower.Poll();
            using (var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                stream.SetLength(0); // copytruncate
            File.AppendAllText(LogPath, Line(3));
            follower.Poll();
            Assert.Equal(["/p/1.ts", "/p/2.ts", "/p/3.ts"], Urls(outbox));
        }
    }
}
