using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Dandelion.Box.Node;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Auth;

namespace Dandelion.Box.Tests;

public sealed class PublishingTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("dandelion-outside-").FullName;
    private BoxHost _box = null!;

    public Task InitializeAsync()
    {
        _box = BoxHost.Start(_data, new Dictionary<string, string?> { ["Box:MaxFileSize"] = (4 << 20).ToString() });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private static byte[] Random(int length) => RandomNumberGenerator.GetBytes(length);

    private static string Url(string publisher, string path) => $"{publisher}/{path.TrimStart('/')}";

    private async Task<byte[]?> FetchAsync(string publisher, string path)
    {
        using var response = await _box.Http.GetAsync(Url(publisher, path));
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsByteArrayAsync() : null;
    }

    [Fact]
    public async Task A_version1_publisher_as_the_original_is_accepted_stored_byte_identical_and_never_answered()
    {
        var (publisher, reply) = await TestPublisher.ConnectAsync(_box, version: 1);
        using (publisher)
        {
            // Exactly the original's keys, and nothing else.
            Assert.Equal(["COMMAND", "ID", "IP", "MESSAGE", "PORT", "TYPE"], reply.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal("ACCEPTED", reply.GetProperty("MESSAGE").GetString());
            Assert.Equal("PUBLISH", reply.GetProperty("COMMAND").GetString());
            Assert.Equal("BOX", reply.GetProperty("TYPE").GetString());
            Assert.Equal(_box.Id, reply.GetProperty("ID").GetString());

            var data = Random(300_000);
            await publisher.SendFrameAsync(TestPublisher.Version1Frame("/home/caster/live/seg-1.ts", 60, data), chunk: 1 << 20);
            await publisher.SendFrameAsync(TestPublisher.Version1Frame("/home/caster/live/../../../../etc/evil", 60, data), chunk: 1 << 20);
            await publisher.SendFrameAsync(TestPublisher.Version1Frame("/home/caster/live/seg-2.ts", "60", data[..1000]), chunk: 1 << 20);

            byte[]? served = null;
            await BoxHost.EventuallyAsync(async () => (served = await FetchAsync(publisher.Id, "/home/caster/live/seg-2.ts")) is not null, "seg-2 served");
            Assert.Equal(data, await FetchAsync(publisher.Id, "/home/caster/live/seg-1.ts"));
            Assert.Equal(data[..1000], served);

            // A version 1 publisher gets no text frame, not even for the refused file: the next thing it sees is our close.
            await publisher.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            Assert.Null(await BoxHost.ReceiveJsonAsync(publisher.Socket));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
        Assert.False(File.Exists("/etc/evil"));
    }

    [Theory]
    // Around the box's 64 KiB read buffer and the publisher's 64 KiB frames: a frame smaller,
    // one byte either side of it, and one message in a single 1 MiB frame.
    [InlineData(4093)]
    [InlineData((64 * 1024) - 1)]
    [InlineData((64 * 1024) + 1)]
    [InlineData(1 << 20)]
    public async Task A_file_in_websocket_frames_of_any_size_is_stored_whole_and_its_sha256_checked(int chunk)
    {
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
        {
            var data = Random((1 << 20) + 3);
            var stored = await publisher.PutAsync(TestPublisher.Version2Frame("/live/big.ts", 60, data), chunk);
            Assert.Equal("STORED", stored.GetProperty("COMMAND").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), stored.GetProperty("SHA256").GetString());
            Assert.Equal(data, await FetchAsync(publisher.Id, "/live/big.ts"));

            // One byte changed past the first read buffer: the hash check still catches it.
            var altered = data.ToArray();
            altered[300_000] ^= 1;
            var wrong = await publisher.PutAsync(TestPublisher.Version2Frame("/live/bad.ts", 60, altered, sha256: Convert.ToHexStringLower(SHA256.HashData(data))), chunk);
            Assert.Equal("sha256-mismatch", wrong.GetProperty("CODE").GetString());
            Assert.Null(await FetchAsync(publisher.Id, "/live/bad.ts"));
        }
    }

    [Fact]
    public async Task A_version2_publisher_gets_stored_with_hash_and_url_and_a_hash_mismatch_is_refused()
    {
        var (publisher, reply) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
        {
            Assert.Equal("ACCEPTED", reply.GetProperty("MESSAGE").GetString());
            Assert.Equal(2, reply.GetProperty("VERSION").GetInt32());
            Assert.Equal(4 << 20, reply.GetProperty("MAX_FILE_SIZE").GetInt64());
            Assert.Equal($"http://127.0.0.1:{_box.HttpPort}/", reply.GetProperty("HTTP_URL").GetString());

            var data = Random(1_000_000);
            var stored = await publisher.PutAsync(TestPublisher.Version2Frame("/live/seg-1.ts", 60, data), chunk: 100_000);
            Assert.Equal("STORED", stored.GetProperty("COMMAND").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), stored.GetProperty("SHA256").GetString());
            Assert.Equal(data.Length, stored.GetProperty("SIZE").GetInt64());
            Assert.Equal("/live/seg-1.ts", stored.GetProperty("FILE_PATH").GetString());
            var url = stored.GetProperty("URL").GetString()!;
            Assert.Equal($"http://127.0.0.1:{_box.HttpPort}/{publisher.Id}/live/seg-1.ts", url);
            Assert.Equal(data, await _box.Http.GetByteArrayAsync(url));

            var wrong = await publisher.PutAsync(TestPublisher.Version2Frame("/live/seg-2.ts", 60, data, sha256: new string('0', 64)));
            Assert.Equal("REFUSED", wrong.GetProperty("COMMAND").GetString());
            Assert.Equal("sha256-mismatch", wrong.GetProperty("CODE").GetString());
            Assert.Null(await FetchAsync(publisher.Id, "/live/seg-2.ts"));

            var shorter = await publisher.PutAsync(TestPublisher.Version2Frame("/live/seg-3.ts", 60, data, size: data.Length + 1));
            Assert.Equal("size-mismatch", shorter.GetProperty("CODE").GetString());
            var longer = await publisher.PutAsync(TestPublisher.Version2Frame("/live/seg-3.ts", 60, data, size: 10));
            Assert.Equal("size-mismatch", longer.GetProperty("CODE").GetString());
            Assert.Null(await FetchAsync(publisher.Id, "/live/seg-3.ts"));

            // The connection is still good.
            var after = await publisher.PutAsync(TestPublisher.Version2Frame("/live/seg-2.ts", 60, data[..10]));
            Assert.Equal("STORED", after.GetProperty("COMMAND").GetString());
            Assert.Equal(data[..10], await FetchAsync(publisher.Id, "/live/seg-2.ts"));
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(_box.StorageDirectory, ".incoming")));

            // STORED says how long the box keeps the file: the TTL sent, or for TTL 0 the box's default.
            Assert.Equal(60, stored.GetProperty("TTL").GetInt64());
            var defaulted = await publisher.PutAsync(TestPublisher.Version2Frame("/live/seg-4.ts", 0, data[..10]));
            Assert.Equal(new BoxOptions().DefaultTtl.TotalSeconds, defaulted.GetProperty("TTL").GetInt64());
        }
    }

    public static TheoryData<string, string, byte[]> HostileFrames() => new()
    {
        // name, expected CODE, the whole binary message
        { "climbs out with ..", "bad-path", TestPublisher.Version2Frame("/live/../../../x.ts", 60, [1]) },
        { "NUL in the path", "bad-path", TestPublisher.Version2Frame("/live/x\0.ts", 60, [1]) },
        { "newline in the path", "bad-path", TestPublisher.Version2Frame("/live/x\n.ts", 60, [1]) },
        { "backslashes", "bad-path", TestPublisher.Version2Frame("\\..\\..\\x.ts", 60, [1]) },
        { "no file named", "bad-path", TestPublisher.Version2Frame("///", 60, [1]) },
        { "through a link out of storage", "bad-path", TestPublisher.Version2Frame("/escape/x.ts", 60, [1]) },
        { "negative TTL", "bad-ttl", TestPublisher.Version2Frame("/x.ts", -1, [1]) },
        { "TTL not a number", "bad-ttl", TestPublisher.Version2Frame("/x.ts", "soon", [1]) },
        { "TTL with a fraction", "bad-ttl", TestPublisher.Version2Frame("/x.ts", 1.5, [1]) },
        { "TTL over the maximum", "bad-ttl", TestPublisher.Version2Frame("/x.ts", 86401, [1]) },
        { "file over the maximum", "too-big", TestPublisher.Version2Frame("/x.ts", 60, new byte[(4 << 20) + 1]) },
        { "SIZE over the maximum", "too-big", TestPublisher.Version2Frame("/x.ts", 60, [1], size: 5 << 20) },
        { "header not JSON", "bad-frame", [.. "<Dandelion>{FILE_PATH: x}</Dandelion>"u8, 1, 2] },
        { "header a JSON array", "bad-frame", [.. "<Dandelion>[1]</Dandelion>"u8, 1, 2] },
        { "no closing tag", "bad-frame", [.. "<Dandelion>{\"FILE_PATH\": \"/x.ts\"}"u8, 1, 2] },
        { "no opening tag", "bad-frame", [.. "hello"u8] },
        { "header over the limit", "bad-frame", [.. "<Dandelion>{\"FILE_PATH\": \""u8, .. new byte[20_000].Select(_ => (byte)'a'), .. "\"}</Dandelion>"u8] },
        { "empty message", "bad-frame", [] },
    };

    [Theory]
    // Not enumerated at discovery: xunit would serialize every frame there, the 4 MiB one element
    // by element (gigabytes, and over ten minutes on a loaded machine, where test.sh's hang
    // timeout then ends the whole project's run).
    [MemberData(nameof(HostileFrames), DisableDiscoveryEnumeration = true)]
    [MemberData(nameof(Hostile.HostileFrameCorpus.Frames), MemberType = typeof(Hostile.HostileFrameCorpus), DisableDiscoveryEnumeration = true)]
    public async Task A_hostile_frame_is_refused_with_its_reason_nothing_is_written_and_the_connection_stays_good(string name, string code, byte[] frame)
    {
        Directory.CreateDirectory(Path.Combine(_box.StorageDirectory, TestPublisher.DefaultId));
        Directory.CreateSymbolicLink(Path.Combine(_box.StorageDirectory, TestPublisher.DefaultId, "escape"), _outside);
        var before = Directory.EnumerateFileSystemEntries(_box.StorageDirectory, "*", SearchOption.AllDirectories).Order().ToList();

        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
        {
            var refused = await publisher.PutAsync(frame);
            Assert.True("REFUSED" == refused.GetProperty("COMMAND").GetString(), name);
            Assert.Equal(code, refused.GetProperty("CODE").GetString());
            Assert.False(string.IsNullOrEmpty(refused.GetProperty("ERROR").GetString()));

            Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
            var now = Directory.EnumerateFileSystemEntries(_box.StorageDirectory, "*", SearchOption.AllDirectories)
                .Where(p => !p.Contains("/.incoming", StringComparison.Ordinal)).Order().ToList();
            Assert.Equal(before.Where(p => !p.Contains("/.incoming", StringComparison.Ordinal)), now);

            var good = await publisher.PutAsync(TestPublisher.Version2Frame("/good.ts", 60, [7, 7, 7]));
            Assert.Equal("STORED", good.GetProperty("COMMAND").GetString());
            Assert.Equal([7, 7, 7], await FetchAsync(publisher.Id, "/good.ts"));
        }
    }

    [Fact]
    public async Task Files_are_served_with_ranges_validators_types_cors_and_a_fitting_cache_control()
    {
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        var data = Random(10_000);
        using (publisher)
        {
            foreach (var name in new[] { "a.ts", "a.m4s", "a.mp4", "a.m3u8", "a.bin" })
                Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame($"/v/{name}", 100, data))).GetProperty("COMMAND").GetString());
            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/v/kept.ts", 0, data))).GetProperty("COMMAND").GetString());
        }

        // A page's fetch carries its Origin (a browser always sends one across origins); only such a request is answered with CORS headers.
        using var fullRequest = new HttpRequestMessage(HttpMethod.Get, Url(publisher.Id, "v/a.ts")) { Headers = { { "Origin", "https://player.example" } } };
        using var full = await _box.Http.SendAsync(fullRequest);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(10_000, full.Content.Headers.ContentLength);
        Assert.Equal(data, await full.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/mp2t", full.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", full.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.NotNull(full.Headers.ETag);
        Assert.NotNull(full.Content.Headers.LastModified);
        var maxAge = full.Headers.CacheControl?.MaxAge;
        Assert.True(maxAge is { } age && age > TimeSpan.Zero && age <= TimeSpan.FromSeconds(100), $"max-age {maxAge}");
        Assert.True(full.Headers.CacheControl!.Public);

        using (var range = new HttpRequestMessage(HttpMethod.Get, Url(publisher.Id, "v/a.ts")))
        {
            range.Headers.Range = new RangeHeaderValue(10, 19);
            using var partial = await _box.Http.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(data[10..20], await partial.Content.ReadAsByteArrayAsync());
            Assert.Equal("bytes 10-19/10000", partial.Content.Headers.ContentRange?.ToString());
        }
        using (var tail = new HttpRequestMessage(HttpMethod.Get, Url(publisher.Id, "v/a.ts")))
        {
            tail.Headers.Range = new RangeHeaderValue(null, 5);
            using var partial = await _box.Http.SendAsync(tail);
            Assert.Equal(data[^5..], await partial.Content.ReadAsByteArrayAsync());
        }
        using (var conditional = new HttpRequestMessage(HttpMethod.Get, Url(publisher.Id, "v/a.ts")))
        {
            conditional.Headers.IfNoneMatch.Add(full.Headers.ETag!);
            using var notModified = await _box.Http.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        using (var head = new HttpRequestMessage(HttpMethod.Head, Url(publisher.Id, "v/a.ts")))
        {
            using var headers = await _box.Http.SendAsync(head);
            Assert.Equal(HttpStatusCode.OK, headers.StatusCode);
            Assert.Equal(10_000, headers.Content.Headers.ContentLength);
            Assert.Empty(await headers.Content.ReadAsByteArrayAsync());
        }
        using (var preflight = new HttpRequestMessage(HttpMethod.Options, Url(publisher.Id, "v/a.ts")))
        {
            preflight.Headers.Add("Origin", "https://player.example");
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "range");
            using var allowed = await _box.Http.SendAsync(preflight);
            Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
            Assert.Equal("*", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("GET", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());
            Assert.Contains("Range", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single());
        }

        async Task<(string?, CacheControlHeaderValue?)> TypeOf(string name)
        {
            using var response = await _box.Http.GetAsync(Url(publisher.Id, $"v/{name}"));
            return (response.Content.Headers.ContentType?.MediaType, response.Headers.CacheControl);
        }
        Assert.Equal("video/iso.segment", (await TypeOf("a.m4s")).Item1);
        Assert.Equal("video/mp4", (await TypeOf("a.mp4")).Item1);
        var (playlistType, playlistCache) = await TypeOf("a.m3u8");
        Assert.Equal("application/vnd.apple.mpegurl", playlistType);
        Assert.True(playlistCache!.NoCache);
        Assert.Equal("application/octet-stream", (await TypeOf("a.bin")).Item1);
        Assert.True((await TypeOf("kept.ts")).Item2!.MaxAge > TimeSpan.Zero);

        Assert.Equal(HttpStatusCode.NotFound, (await _box.Http.GetAsync(Url(publisher.Id, "v/missing.ts"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _box.Http.GetAsync("publisher-x/v/a.ts")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _box.Http.GetAsync($"{publisher.Id}/v/%2e%2e/%2e%2e/box.id")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _box.Http.GetAsync($"{publisher.Id}/.incoming/x")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _box.Http.PostAsync(Url(publisher.Id, "v/a.ts"), null)).StatusCode);
        // The control endpoints are not on the file port.
        Assert.Equal(HttpStatusCode.NotFound, (await _box.Http.GetAsync($"dandelion/{_box.Id}/")).StatusCode);
    }

    [Fact]
    public async Task A_whole_file_larger_than_one_read_is_served_exactly_with_the_validators_of_a_conditional_request()
    {
        // Whole GETs take the box's own large-read path (Serving/FileBody.cs); HEAD, ranges and
        // conditions take ASP.NET's file result. Both must describe the same file the same way.
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        var data = Random((1 << 20) + 3);
        using (publisher)
            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/v/big.ts", 100, data))).GetProperty("COMMAND").GetString());

        using var whole = await _box.Http.GetAsync(Url(publisher.Id, "v/big.ts"));
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(data.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());

        using var head = await _box.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Url(publisher.Id, "v/big.ts")));
        Assert.Equal(head.Headers.ETag, whole.Headers.ETag);
        Assert.Equal(head.Content.Headers.LastModified, whole.Content.Headers.LastModified);
        Assert.Equal(head.Content.Headers.ContentType, whole.Content.Headers.ContentType);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, Url(publisher.Id, "v/big.ts"));
        conditional.Headers.IfModifiedSince = whole.Content.Headers.LastModified;
        using var notModified = await _box.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task A_file_expires_on_time_and_is_deleted_with_its_directory()
    {
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/short/seg.ts", 1, [1, 2]))).GetProperty("COMMAND").GetString());
        var storedAt = DateTime.UtcNow;
        Assert.Equal([1, 2], await FetchAsync(publisher.Id, "/short/seg.ts"));
        await BoxHost.EventuallyAsync(async () => await FetchAsync(publisher.Id, "/short/seg.ts") is null, "404 after the TTL");
        Assert.True(DateTime.UtcNow - storedAt >= TimeSpan.FromSeconds(0.9), "gone before its TTL");
        await BoxHost.EventuallyAsync(() => !Directory.Exists(Path.Combine(_box.StorageDirectory, publisher.Id, "short")), "swept");
    }

    [Fact]
    public async Task Several_publishers_at_once_keep_their_own_state()
    {
        var (first, _) = await TestPublisher.ConnectAsync(_box, 2, "publisher-11111111111111111111111111111111");
        var (second, _) = await TestPublisher.ConnectAsync(_box, 2, "publisher-22222222222222222222222222222222");
        using (first)
        using (second)
        {
            var a = Random(200_000);
            var b = Random(150_000);
            var frameA = TestPublisher.Version2Frame("/same/name.ts", 60, a);
            var frameB = TestPublisher.Version2Frame("/same/name.ts", 60, b);
            // Interleave the two messages' frames.
            const int chunk = 10_000;
            for (var offset = 0; offset < Math.Max(frameA.Length, frameB.Length); offset += chunk)
            {
                if (offset < frameA.Length)
                    await first.Socket.SendAsync(frameA.AsMemory(offset, Math.Min(chunk, frameA.Length - offset)), WebSocketMessageType.Binary, offset + chunk >= frameA.Length, default);
                if (offset < frameB.Length)
                    await second.Socket.SendAsync(frameB.AsMemory(offset, Math.Min(chunk, frameB.Length - offset)), WebSocketMessageType.Binary, offset + chunk >= frameB.Length, default);
            }
            Assert.Equal("STORED", (await BoxHost.ReceiveJsonAsync(first.Socket))!.Value.GetProperty("COMMAND").GetString());
            Assert.Equal("STORED", (await BoxHost.ReceiveJsonAsync(second.Socket))!.Value.GetProperty("COMMAND").GetString());
            Assert.Equal(a, await FetchAsync(first.Id, "/same/name.ts"));
            Assert.Equal(b, await FetchAsync(second.Id, "/same/name.ts"));
        }
    }

    [Fact]
    public async Task A_bad_handshake_is_answered_with_the_originals_error_and_closed()
    {
        using var socket = await _box.ConnectAsync();
        await BoxHost.SendTextAsync(socket, "{\"ID\": \"publisher-00112233445566778899aabbccddeeff\", \"TYPE\": \"PUBLISHER\", \"COMMAND\": \"PUBLISH\"}");
        var error = await BoxHost.ReceiveJsonAsync(socket);
        Assert.StartsWith("Wrong format in your message.", error!.Value.GetProperty("ERROR").GetString());
        Assert.Null(await BoxHost.ReceiveJsonAsync(socket));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);

        using var notJson = await _box.ConnectAsync();
        await BoxHost.SendTextAsync(notJson, "PUBLISH please");
        var notJsonError = (await BoxHost.ReceiveJsonAsync(notJson))!.Value;
        Assert.StartsWith("Wrong format in your message. Not valid JSON", notJsonError.GetProperty("ERROR").GetString());
        Assert.False(notJsonError.TryGetProperty("CODE", out _)); // version 1 words only
        Assert.Null(await BoxHost.ReceiveJsonAsync(notJson));
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, notJson.CloseStatus);
    }

    [Fact]
    public async Task With_a_grant_key_publishers_need_a_valid_grant_for_this_box_and_version1_ones_only_where_the_owner_opts_in()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.True(_box.Service<BoxNode>().SetGrantKey(PublishGrant.ExportPublicKey(key)));

        var (without, refused) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (without)
        {
            Assert.Equal("unauthorized", refused.GetProperty("CODE").GetString());
            Assert.Null(await BoxHost.ReceiveJsonAsync(without.Socket));
        }

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = PublishGrant.Issue(otherKey, TestPublisher.DefaultId, _box.Id, DateTimeOffset.UtcNow.AddMinutes(5));
        // Replay: a real grant, but for another box, or expired.
        var otherBox = PublishGrant.Issue(key, TestPublisher.DefaultId, "box-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddMinutes(5));
        var expired = PublishGrant.Issue(key, TestPublisher.DefaultId, _box.Id, DateTimeOffset.UtcNow.AddMinutes(-1));
        foreach (var bad in new[] { forged, otherBox, expired })
        {
            var (forger, forgedReply) = await TestPublisher.ConnectAsync(_box, 2, grant: bad);
            using (forger)
                Assert.Equal("unauthorized", forgedReply.GetProperty("CODE").GetString());
        }

        var grant = PublishGrant.Issue(key, TestPublisher.DefaultId, _box.Id, DateTimeOffset.UtcNow.AddMinutes(5));
        var (granted, accepted) = await TestPublisher.ConnectAsync(_box, 2, grant: grant);
        using (granted)
            Assert.Equal("ACCEPTED", accepted.GetProperty("MESSAGE").GetString());

        // An original publisher cannot show a grant: refused by default (Box:RequireGrant)...
        var (original, v1) = await TestPublisher.ConnectAsync(_box, version: 1);
        using (original)
        {
            // The original is told in ERROR (it reads no CODE), and its socket closes.
            Assert.Contains("Not authorized", v1.GetProperty("ERROR").GetString());
            Assert.Null(await BoxHost.ReceiveJsonAsync(original.Socket));
        }

        // ...and served where the box's owner opts in.
        var data = Directory.CreateTempSubdirectory("dandelion-box-").FullName;
        await using (var open = BoxHost.Start(data, new Dictionary<string, string?> { ["Box:RequireGrant"] = "false" }))
        {
            Assert.True(open.Service<BoxNode>().SetGrantKey(PublishGrant.ExportPublicKey(key)));
            var (served, reply) = await TestPublisher.ConnectAsync(open, version: 1);
            using (served)
                Assert.Equal("ACCEPTED", reply.GetProperty("MESSAGE").GetString());
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task A_draining_box_refuses_new_files_until_resumed()
    {
        var node = _box.Service<BoxNode>();
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
        {
            node.Draining = true;
            Assert.Equal("draining", (await publisher.PutAsync(TestPublisher.Version2Frame("/x.ts", 60, [1]))).GetProperty("CODE").GetString());
            node.Draining = false;
            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/x.ts", 60, [1]))).GetProperty("COMMAND").GetString());
        }
    }

    [Fact]
    public async Task Served_requests_become_traffic_entries_through_the_access_log()
    {
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
            await publisher.PutAsync(TestPublisher.Version2Frame("/t/seg.ts", 60, new byte[1234]));
        var outbox = _box.Service<TrafficOutbox>();
        var before = outbox.NextId;

        Assert.NotNull(await FetchAsync(publisher.Id, "/t/seg.ts"));
        Assert.Null(await FetchAsync(publisher.Id, "/t/missing.ts")); // 404: logged, not counted
        Assert.NotNull(await FetchAsync(publisher.Id, "/t/seg.ts"));

        await BoxHost.EventuallyAsync(() => outbox.NextId == before + 2 && File.ReadAllLines(_box.AccessLog).Length >= 3, "two traffic entries");
        var entries = outbox.Peek(int.MaxValue).Where(e => e.Id >= before).ToList();
        Assert.All(entries, e => Assert.Equal(($"/{publisher.Id}/t/seg.ts", 200L, 1234L), (e.Url, e.Status, e.Size)));
        Assert.Contains(File.ReadAllLines(_box.AccessLog), l => l.Contains($"\"GET /{publisher.Id}/t/missing.ts HTTP/1.1\" 404 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_control_routes_answer_with_and_without_the_trailing_slash()
    {
        using var control = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_box.Port}/") };
        Assert.Equal($"HI {_box.Id}", await control.GetStringAsync($"dandelion/{_box.Id}/"));
        Assert.Equal($"HI {_box.Id}", await control.GetStringAsync($"dandelion/{_box.Id}"));
        Assert.Equal(HttpStatusCode.NotFound, (await control.GetAsync("dandelion/box-00000000000000000000000000000000/")).StatusCode);
        Assert.Equal("Healthy", await control.GetStringAsync("health"));

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_box.Port}/dandelion/{_box.Id}/ws"), CancellationToken.None);
        Assert.Equal(WebSocketState.Open, socket.State);
    }
}
