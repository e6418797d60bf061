using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Box.Tests;

public sealed class ExpiryTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-expiry-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private string Stored(string relative) => Path.Combine(_data, "files", TestStores.Publisher, relative);

    [Fact]
    public void An_expired_file_is_not_servable_at_once_and_the_sweep_deletes_it_and_its_directories()
    {
        using var store = TestStores.Store(TestStores.Options(_data), _time);
        Assert.Null(TestStores.Put(store, "/live/a/seg.ts", [1, 2, 3], "30"));
        Assert.True(TestStores.Servable(store, "/live/a/seg.ts"));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(TestStores.Servable(store, "/live/a/seg.ts"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(TestStores.Servable(store, "/live/a/seg.ts"));
        Assert.True(File.Exists(Stored("live/a/seg.ts")));  // hidden before the sweep runs

        Assert.Equal(1, store.SweepExpired());
        Assert.False(File.Exists(Stored("live/a/seg.ts")));
        Assert.False(Directory.Exists(Path.Combine(_data, "files", TestStores.Publisher)));
        Assert.Equal(0, store.Used);
    }

    [Fact]
    public void A_ttl_of_zero_means_the_default_so_the_file_still_expires()
    {
        using var store = TestStores.Store(TestStores.Options(_data), _time);
        Assert.Null(TestStores.Put(store, "/zero.ts", [1], "0"));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(TestStores.Servable(store, "/zero.ts"));
        _time.Advance(TimeSpan.FromSeconds(1));                   // the box's default of 60 s
        Assert.False(TestStores.Servable(store, "/zero.ts"));
        Assert.Equal(1, store.SweepExpired());
    }

    [Fact]
    public void The_index_survives_a_restart_and_unknown_files_are_cleaned_up()
    {
        var options = TestStores.Options(_data);
        using (var store = TestStores.Store(options, _time))
        {
            Assert.Null(TestStores.Put(store, "/short.ts", [1], "30"));
            Assert.Null(TestStores.Put(store, "/kept.ts", [2], "0"));
            Assert.Null(TestStores.Put(store, "/long.ts", [3], "100"));
            Assert.Null(TestStores.Put(store, "/default.ts", [4], null)); // 60 s
        }
        // While the box was down: a stray file, a half-written temporary file, and time passing.
        File.WriteAllText(Stored("stray.ts"), "not stored by the box");
        Directory.CreateDirectory(Path.Combine(_data, "files", "publisher-ffffffffffffffffffffffffffffffff", "deep"));
        File.WriteAllText(Path.Combine(_data, "files", "publisher-ffffffffffffffffffffffffffffffff", "deep", "x.ts"), "stray");
        File.WriteAllText(Path.Combine(_data, "files", ".incoming", "half.part"), "half");
        _time.Advance(TimeSpan.FromSeconds(31));

        using (var store = TestStores.Store(options, _time))
        {
            Assert.False(File.Exists(Stored("short.ts")));        // expired while down: deleted at start
            Assert.False(File.Exists(Stored("stray.ts")));        // unknown to the index
            Assert.False(Directory.Exists(Path.Combine(_data, "files", "publisher-ffffffffffffffffffffffffffffffff")));
            Assert.False(Directory.Exists(Path.Combine(_data, "files", ".incoming")));
            Assert.True(TestStores.Servable(store, "/kept.ts"));
            Assert.True(TestStores.Servable(store, "/long.ts"));
            Assert.True(TestStores.Servable(store, "/default.ts"));
            Assert.Equal(3, store.Count);
            Assert.Equal(3, store.Used);

            _time.Advance(TimeSpan.FromSeconds(30)); // 61 s after storing
            Assert.False(TestStores.Servable(store, "/default.ts"));
            store.SweepExpired();
            Assert.False(File.Exists(Stored("default.ts")));
            Assert.False(File.Exists(Stored("kept.ts")));           // TTL 0 is the default: every file expires
            _time.Advance(TimeSpan.FromSeconds(40)); // 101 s
            store.SweepExpired();
            Assert.False(File.Exists(Stored("long.ts")));
        }
    }

    [Fact]
    public void A_journal_from_an_older_box_cannot_keep_a_file_for_ever_or_past_the_maximum_TTL()
    {
        var options = TestStores.Options(_data);
        using (var store = TestStores.Store(options, _time))
        {
            Assert.Null(TestStores.Put(store, "/forever.ts", [1], "30"));
            Assert.Null(TestStores.Put(store, "/far.ts", [2], "30"));
        }
        // As an older box wrote them: TTL 0 kept for ever (expiry 0), and an expiry in 100 years.
        var journal = Path.Combine(_data, "expiry.journal");
        var far = _time.GetUtcNow().AddYears(100).ToUnixTimeMilliseconds();
        File.WriteAllLines(journal, File.ReadAllLines(journal).Select(line =>
            line.EndsWith("/forever.ts", StringComparison.Ordinal) ? "S 0 " + string.Join(' ', line.Split(' ')[2..])
            : line.EndsWith("/far.ts", StringComparison.Ordinal) ? $"S {far} " + string.Join(' ', line.Split(' ')[2..])
            : line));

        using var reopened = TestStores.Store(options, _time);
        Assert.True(TestStores.Servable(reopened, "/forever.ts"));
        _time.Advance(options.Value.DefaultTtl);
        Assert.False(TestStores.Servable(reopened, "/forever.ts"));   // the default, from the restart
        Assert.True(TestStores.Servable(reopened, "/far.ts"));
        _time.Advance(options.Value.MaxTtl - options.Value.DefaultTtl);
        Assert.False(TestStores.Servable(reopened, "/far.ts"));       // the maximum, from the restart
        Assert.Equal(2, reopened.SweepExpired());
    }

    [Fact]
    public void Replacing_a_file_restarts_its_ttl_and_the_journal_stays_small()
    {
        var options = TestStores.Options(_data);
        using (var store = TestStores.Store(options, _time))
        {
            for (var i = 0; i < 3000; i++)
                Assert.Null(TestStores.Put(store, "/same.ts", [(byte)i], "30"));
            _time.Advance(TimeSpan.FromSeconds(20));
            Assert.Null(TestStores.Put(store, "/same.ts", [9, 9], "30"));
        }
        Assert.True(new FileInfo(Path.Combine(_data, "expiry.journal")).Length < 100_000);
        _time.Advance(TimeSpan.FromSeconds(20)); // 40 s after the first, 20 s after the replacement
        using var reopened = TestStores.Store(options, _time);
        Assert.True(TestStores.Servable(reopened, "/same.ts"));
        Assert.Equal([9, 9], File.ReadAllBytes(Stored("same.ts")));
        Assert.Equal(2, reopened.Used);
    }

    [Fact]
    public void The_quota_evicts_expired_files_first_then_refuses()
    {
        using var store = TestStores.Store(TestStores.Options(_data, o => { o.StorageQuota = 100; o.MaxFileSize = 100; }), _time);
        Assert.Null(TestStores.Put(store, "/a.ts", new byte[60], "10"));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(TestStores.Put(store, "/b.ts", new byte[60], "10"));  // room made by evicting a.ts
        Assert.False(File.Exists(Stored("a.ts")));
        var refusal = TestStores.Put(store, "/c.ts", new byte[60], "10");
        Assert.Equal(ProtocolErrorCodes.QuotaExceeded, refusal?.Code);
        Assert.False(File.Exists(Stored("c.ts")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "files", ".incoming")));
        Assert.Null(TestStores.Put(store, "/b.ts", new byte[90], "10"));  // replacing counts the old size out
    }

    [Fact]
    public void Purge_removes_one_publishers_files_or_all()
    {
        using var store = TestStores.Store(TestStores.Options(_data), _time);
        Assert.Null(TestStores.Put(store, "/a/1.ts", [1], "0"));
        Assert.Null(TestStores.Put(store, "/b/2.ts", [1], "0"));
        Assert.Equal(0, store.Purge("publisher-ffffffffffffffffffffffffffffffff"));
        Assert.Equal(2, store.Purge(TestStores.Publisher));
        Assert.Equal(0, store.Count);
        Assert.False(Directory.Exists(Path.Combine(_data, "files", TestStores.Publisher)));
    }
}
