using System.Text;

namespace Dandelion.Box.Tests.Hostile;

/// <summary>
/// The hostile-input corpus for a box's file channel (issue 9), beyond the first table in
/// <see cref="PublishingTests.HostileFrames"/>: one row per kind of trick, each with the refusal
/// docs/BOX.md gives it. Run by <see cref="PublishingTests"/> against the real box, each row on a
/// fresh box: the frame is refused with its code, nothing is written outside storage or left in
/// it, and the same connection then stores a good file.
/// </summary>
public static class HostileFrameCorpus
{
    private static byte[] Path(string filePath) => TestPublisher.Version2Frame(filePath, 60, [1, 2, 3]);

    private static byte[] Ttl(object? ttl) => TestPublisher.Version2Frame("/x.ts", ttl, [1, 2, 3]);

    /// <summary>A frame with this header text as it is (not re-encoded) and three file bytes.</summary>
    private static byte[] Raw(string header) => Raw(Encoding.UTF8.GetBytes(header));

    private static byte[] Raw(byte[] header) => [.. "<Dandelion>"u8, .. header, .. "</Dandelion>"u8, 1, 2, 3];

    /// <summary>A valid v2 header for three bytes, with <paramref name="extra"/> JSON members before its end.</summary>
    private static byte[] With(string extra) =>
        Raw("{\"FILE_PATH\":\"/x.ts\",\"TTL\":60,\"SIZE\":3,\"SHA256\":\"039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81\"" + extra + "}");

    public static TheoryData<string, string, byte[]> Frames() => new()
    {
        // Climbing out, in every spelling.
        { "a lone ..", "bad-path", Path("..") },
        { ".. at the end", "bad-path", Path("/a/..") },
        { ".. after a dot segment", "bad-path", Path("/a/./../../x.ts") },
        { ".. with a trailing slash", "bad-path", Path("../") },
        { "backslash climbing", "bad-path", Path("..\\x.ts") },
        { "a UNC path", "bad-path", Path("\\\\server\\share\\x.ts") },
        { "a drive path", "bad-path", Path("C:\\x.ts") },
        { "one-dot leaders U+2024", "bad-path", Path("/\u2024\u2024/x.ts") },
        { "fullwidth full stops U+FF0E", "bad-path", Path("/\uFF0E\uFF0E/x.ts") },
        { "ideographic full stops U+3002", "bad-path", Path("/\u3002\u3002/x.ts") },
        { "small full stops U+FE52", "bad-path", Path("/\uFE52\uFE52/x.ts") },
        { "halfwidth ideographic full stops U+FF61", "bad-path", Path("/\uFF61\uFF61/x.ts") },
        { "a two-dot leader U+2025", "bad-path", Path("/\u2025/x.ts") },
        { "a dot and a look-alike", "bad-path", Path("/.\u2024/x.ts") },
        { "one fullwidth dot", "bad-path", Path("/a/\uFF0E/x.ts") },
        { "percent-encoded ..", "bad-path", Path("/%2e%2e/x.ts") },
        { "percent-encoded .. upper case", "bad-path", Path("/%2E%2E/x.ts") },
        { "half percent-encoded ..", "bad-path", Path("/.%2e/x.ts") },
        { "double-encoded ..", "bad-path", Path("/%252e%252e/x.ts") },
        { "triple-encoded ..", "bad-path", Path("/%25252e%25252e/x.ts") },
        { "encoded slashes climbing", "bad-path", Path("/..%2f..%2fx.ts") },
        { "encoded backslashes climbing", "bad-path", Path("/..%5c..%5cx.ts") },
        { "an encoded NUL", "bad-path", Path("/x%00.ts") },
        { "overlong UTF-8 dots, percent-encoded", "bad-path", Path("/%c0%ae%c0%ae/x.ts") },
        { "three-byte overlong dots, percent-encoded", "bad-path", Path("/%e0%80%ae%e0%80%ae/x.ts") },
        { "an overlong slash, percent-encoded", "bad-path", Path("/a%c0%afb.ts") },
        { "overlong UTF-8 dots as raw bytes", "bad-frame", Raw([.. "{\"FILE_PATH\":\"/"u8, 0xC0, 0xAE, 0xC0, 0xAE, .. "/x.ts\",\"TTL\":60}"u8]) },
        { "invalid UTF-8 in the header", "bad-frame", Raw([.. "{\"FILE_PATH\":\"/"u8, 0xFF, 0xFE, .. "\"}"u8]) },
        { "a lone surrogate (read as U+FFFD)", "bad-path", Path("/x\ud800.ts") },
        { "a replacement character U+FFFD", "bad-path", Path("/x\uFFFD.ts") },
        { "a DEL", "bad-path", Path("/x\u007f.ts") },
        { "a C1 control (NEL)", "bad-path", Path("/x\u0085.ts") },
        { "a line separator", "bad-path", Path("/x\u2028.ts") },
        { "a paragraph separator", "bad-path", Path("/x\u2029.ts") },
        { "an escape character", "bad-path", Path("/x\u001b[2J.ts") },
        { "a tab", "bad-path", Path("/x\t.ts") },
        { "a carriage return", "bad-path", Path("/x\r.ts") },
        { "only dots", "bad-path", Path("/./.") },
        { "an empty path", "bad-path", Path("") },
        { "a name only of spaces", "bad-path", Path("/   /x.ts") },
        { "a name over 255 characters", "bad-path", Path("/" + new string('n', 256)) },
        { "a path over 1024 characters", "bad-path", Path(string.Concat(Enumerable.Repeat("/abcdefghi", 103))) },
        { "the link itself", "bad-path", Path("/escape") },
        { "deep through the link", "bad-path", Path("/escape/a/b/c.ts") },

        // TTL extremes and shapes.
        { "TTL the smallest long", "bad-ttl", Ttl(long.MinValue) },
        { "TTL the largest long", "bad-ttl", Ttl(long.MaxValue) },
        { "TTL past the largest long", "bad-ttl", Raw("{\"FILE_PATH\":\"/x.ts\",\"TTL\":9223372036854775808}") },
        { "TTL a year and a second", "bad-ttl", Ttl(31_536_001) },
        { "TTL in exponent form", "bad-ttl", Ttl("1e3") },
        { "TTL in hex", "bad-ttl", Ttl("0x10") },
        // (" 60" and "+60" are not here: the original reads a TTL with Python's int(), which takes both.)
        { "TTL an empty string", "bad-ttl", Ttl("") },
        { "TTL true", "bad-ttl", Ttl(true) },
        { "TTL an array", "bad-frame", Raw("{\"FILE_PATH\":\"/x.ts\",\"TTL\":[60]}") },
        { "TTL an object", "bad-frame", Raw("{\"FILE_PATH\":\"/x.ts\",\"TTL\":{\"s\":60}}") },
        { "TTL minus zero point five", "bad-ttl", Ttl(-0.5) },

        // Sizes and hashes that do not match what came.
        { "SIZE negative", "size-mismatch", TestPublisher.Version2Frame("/x.ts", 60, [1, 2, 3], size: -1) },
        { "SIZE the smallest long", "size-mismatch", TestPublisher.Version2Frame("/x.ts", 60, [1, 2, 3], size: long.MinValue) },
        { "SIZE the largest long", "too-big", TestPublisher.Version2Frame("/x.ts", 60, [1, 2, 3], size: long.MaxValue) },
        { "SIZE zero with bytes", "size-mismatch", TestPublisher.Version2Frame("/x.ts", 60, [1, 2, 3], size: 0) },
        { "SIZE one short", "size-mismatch", TestPublisher.Version2Frame("/x.ts", 60, [1, 2, 3], size: 2) },
        { "SIZE not a number", "bad-frame", Raw("{\"FILE_PATH\":\"/x.ts\",\"TTL\":60,\"SIZE\":\"three\"}") },
        { "SHA256 of other bytes", "sha256-mismatch", TestPublisher.Version2Frame("/x.ts", 60, [1, 2, 3], sha256: new string('0', 64)) },

        // Headers that are not what a frame carries.
        { "header null", "bad-frame", Raw("null") },
        { "header a number", "bad-frame", Raw("42") },
        { "header a string", "bad-frame", Raw("\"/x.ts\"") },
        { "header with no FILE_PATH", "bad-path", Raw("{\"TTL\":60}") },
        { "FILE_PATH a number", "bad-frame", Raw("{\"FILE_PATH\":7,\"TTL\":60}") },
        { "FILE_PATH an array", "bad-frame", Raw("{\"FILE_PATH\":[\"/x.ts\"],\"TTL\":60}") },
        { "header nested 10,000 deep", "bad-frame", Raw("{\"FILE_PATH\":\"/x.ts\",\"X\":" + new string('[', 10_000) + new string(']', 10_000) + "}") },
        { "header cut inside a string", "bad-frame", Raw("{\"FILE_PATH\":\"/x.ts") },
        { "header with a trailing comma", "bad-frame", Raw("{\"FILE_PATH\":\"/x.ts\",}") },
        { "header with a comment", "bad-frame", Raw("{\"FILE_PATH\":\"/x.ts\" /* c */}") },
        { "header in single quotes", "bad-frame", Raw("{'FILE_PATH':'/x.ts'}") },
        { "a byte-order mark before the tag", "bad-frame", [0xEF, 0xBB, 0xBF, .. Path("/x.ts")] },
        { "the tag in lower case", "bad-frame", [.. "<dandelion>{\"FILE_PATH\":\"/x.ts\"}</dandelion>"u8, 1] },
        { "a space inside the tag", "bad-frame", [.. "<Dandelion >{\"FILE_PATH\":\"/x.ts\"}</Dandelion>"u8, 1] },
        { "the closing tag first", "bad-frame", [.. "</Dandelion>{\"FILE_PATH\":\"/x.ts\"}<Dandelion>"u8, 1] },
        { "only the opening tag", "bad-frame", [.. "<Dandelion>"u8] },
        { "a header one byte over the limit", "bad-frame", Raw("{\"FILE_PATH\":\"/" + new string('a', 16 * 1024) + "\"}") },
        { "extra members of every kind", "bad-frame", With(",\"X\":" + new string('[', 5_000)) },
    };
}
