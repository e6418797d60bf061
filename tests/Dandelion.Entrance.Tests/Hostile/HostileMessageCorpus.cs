using System.Net.WebSockets;
using Dandelion.Entrance.Tests.Integration;
using Frame = Dandelion.Entrance.Tests.Integration.BadInputTests.Frame;

namespace Dandelion.Entrance.Tests.Hostile;

/// <summary>
/// The hostile-input corpus for an entrance's WebSocket (issue 9), beyond the first table in
/// <see cref="BadInputTests.BadInputs"/>: one row per kind, each with the error reply and close
/// status docs/PROTOCOL.md gives it. Run by <see cref="BadInputTests"/> against the real entrance
/// and Redis: the sender gets its one error and the close, nothing is stored, a session open
/// throughout keeps being served, and a newcomer is served.
/// </summary>
public static class HostileMessageCorpus
{
    private const string Box = "box-0123456789abcdef0123456789abcdef";
    private const string Head = $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":"1","TYPE":"BOX","COMMAND":"EXCHANGE","VERSION":2""";
    private static readonly WebSocketCloseStatus Json = WebSocketCloseStatus.InvalidPayloadData;
    private static readonly WebSocketCloseStatus Policy = WebSocketCloseStatus.PolicyViolation;

    /// <summary>A version 2 EXCHANGE with <paramref name="member"/> added.</summary>
    private static string With(string member) => Head + "," + member + "}";

    public static TheoryData<string, Frame, string, string, WebSocketCloseStatus> Messages() => new()
    {
        // Not a JSON object.
        { "an empty message", Frame.Text, "", "bad-json", Json },
        { "only spaces", Frame.Text, "   ", "bad-json", Json },
        { "null", Frame.Text, "null", "bad-json", Json },
        { "a number", Frame.Text, "42", "bad-json", Json },
        { "true", Frame.Text, "true", "bad-json", Json },
        { "an array", Frame.Text, "[]", "bad-json", Json },
        { "an array of the message", Frame.Text, "[" + Head + "}]", "bad-json", Json },
        { "an unclosed object", Frame.Text, "{", "bad-json", Json },
        { "cut inside a string", Frame.Text, Head + ",\"SEQ\":\"1", "bad-json", Json },
        { "a trailing comma", Frame.Text, Head + ",}", "bad-json", Json },
        { "single quotes", Frame.Text, "{'ID':'" + Box + "'}", "bad-json", Json },
        { "a comment", Frame.Text, Head + "/* hi */}", "bad-json", Json },
        { "NaN", Frame.Text, With("\"SEQ\":NaN"), "bad-json", Json },
        { "Infinity", Frame.Text, With("\"SEQ\":Infinity"), "bad-json", Json },
        { "two objects", Frame.Text, Head + "}" + Head + "}", "bad-json", Json },
        { "nested 1,500 deep", Frame.Text, With("\"X\":" + new string('[', 1500) + new string(']', 1500)), "bad-json", Json },
        { "a value missing", Frame.Text, "{\"ID\":}", "bad-json", Json },
        { "an unescaped control character", Frame.Text, Head + ",\"NAME\":\"a\u0001b\"}", "bad-json", Json },
        { "a bad escape", Frame.Text, Head + ",\"NAME\":\"\\x41\"}", "bad-json", Json },

        // Fields of the wrong shape.
        { "ID an object", Frame.Text, "{\"ID\":{},\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", "bad-json", Json },
        { "TYPE an array", Frame.Text, "{\"ID\":\"" + Box + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":[\"BOX\"],\"COMMAND\":\"EXCHANGE\"}", "bad-json", Json },
        { "TRAFFIC a string", Frame.Text, With("\"TRAFFIC\":\"lots\""), "bad-json", Json },
        { "TRAFFIC entries numbers", Frame.Text, With("\"TRAFFIC\":[1,2]"), "bad-json", Json },
        { "SEQ past a long", Frame.Text, With("\"SEQ\":9223372036854775808"), "bad-json", Json },
        { "SEQ with an exponent past a long", Frame.Text, With("\"SEQ\":1e400"), "bad-json", Json },
        { "a TRAFFIC SIZE past a long", Frame.Text, With("\"TRAFFIC\":[{\"ID\":1,\"SIZE\":99999999999999999999}]"), "bad-json", Json },
        { "LOCATION a string", Frame.Text, With("\"LOCATION\":\"Paris\""), "bad-json", Json },
        { "STORAGE-QUOTA an object", Frame.Text, With("\"STORAGE-QUOTA\":{}"), "bad-json", Json },

        // Fields missing or empty, names and kinds unknown.
        { "no ID", Frame.Text, "{\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", "missing-field", Policy },
        { "an empty ID", Frame.Text, "{\"ID\":\"\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", "missing-field", Policy },
        { "no TYPE", Frame.Text, "{\"ID\":\"" + Box + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"COMMAND\":\"EXCHANGE\"}", "missing-field", Policy },
        { "TYPE in lower case", Frame.Text, "{\"ID\":\"" + Box + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"box\",\"COMMAND\":\"EXCHANGE\"}", "unknown-type", Policy },
        { "TYPE ENTRANCE", Frame.Text, "{\"ID\":\"" + Box + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"ENTRANCE\",\"COMMAND\":\"EXCHANGE\"}", "unknown-command", Policy },
        { "no COMMAND", Frame.Text, "{\"ID\":\"" + Box + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"BOX\"}", "missing-field", Policy },
        { "COMMAND in lower case", Frame.Text, "{\"ID\":\"" + Box + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"exchange\"}", "unknown-command", Policy },
        { "a box asking SEARCH", Frame.Text, "{\"ID\":\"" + Box + "\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"SEARCH\"}", "unknown-command", Policy },
        { "a box id for a publisher", Frame.Text, "{\"ID\":\"" + Box + "\",\"IP\":\"1.2.3.4\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"SEARCH\",\"VERSION\":2}", "missing-field", Policy },
        { "a version 2 box without its token", Frame.Text, Head + "}", "unauthorized", Policy },
        { "a version 2 box with another's token", Frame.Text, With("\"TOKEN\":\"0000000000000000000000000000000000000000000000000000000000000000\""), "unauthorized", Policy },
        { "an ID with a NUL", Frame.Text, "{\"ID\":\"box-\\u0000\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"VERSION\":2}", "missing-field", Policy },
        { "an ID of path tricks", Frame.Text, "{\"ID\":\"../../etc\",\"IP\":\"1.2.3.4\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"VERSION\":2}", "missing-field", Policy },

        // Sizes at the limit (4 KiB in these tests) and frames of the wrong kind.
        { "one byte over the limit", Frame.Text, "{\"PAD\":\"" + new string('x', 4096 - 10 + 1) + "\"}", "too-big", WebSocketCloseStatus.MessageTooBig },
        { "a megabyte", Frame.Text, new string(' ', 1 << 20), "too-big", WebSocketCloseStatus.MessageTooBig },
        { "a binary message of JSON", Frame.Binary, Head + "}", "binary-not-accepted", WebSocketCloseStatus.InvalidMessageType },
        { "an empty binary message", Frame.Binary, "", "binary-not-accepted", WebSocketCloseStatus.InvalidMessageType },
    };
}
