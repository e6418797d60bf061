using System.Buffers.Text;

namespace Dandelion.Entrance.Search;

/// <summary>
/// One message of a bucket's feed, as the scripts in <c>Boxes/</c> publish it (space-separated):
/// <c>U seq id expiresAt draining record</c> (stored box written), <c>A seq id expiresAt draining</c>
/// (expiry pushed out), <c>G seq id…</c> (gone), <c>D seq id draining</c> (operator DRAIN/RESUME).
/// </summary>
internal sealed record FeedChange(char Kind, long Sequence, string[] Ids, long ExpiresAt, bool Draining, IndexRecord? Record)
{
    public const char Upserted = 'U';
    public const char Alive = 'A';
    public const char Gone = 'G';
    public const char DrainSet = 'D';

    /// <summary>Null for a message that is not one of ours (logged and ignored by the caller).</summary>
    public static FeedChange? Parse(byte[] message)
    {
        var rest = message.AsSpan();
        if (!Word(ref rest, out var kind) || kind.Length != 1 || !Word(ref rest, out var seqText) ||
            !Utf8Parser.TryParse(seqText, out long seq, out var used) || used != seqText.Length)
            return null;
        switch ((char)kind[0])
        {
            case Upserted:
            case Alive:
                if (!Word(ref rest, out var id) || !Word(ref rest, out var expiresText) || !Word(ref rest, out var drainingText) ||
                    !Utf8Parser.TryParse(expiresText, out long expiresAt, out _))
                    return null;
                IndexRecord? record = null;
                if (kind[0] == Upserted && (record = IndexRecord.Parse(rest.ToArray())) is null)
                    return null;
                return new FeedChange((char)kind[0], seq, [Encoding.UTF8.GetString(id)], expiresAt, drainingText.SequenceEqual("1"u8), record);
            case Gone:
                var ids = new List<string>();
                while (Word(ref rest, out var gone))
                    ids.Add(Encoding.UTF8.GetString(gone));
                return ids.Count == 0 ? null : new FeedChange(Gone, seq, [.. ids], 0, false, null);
            case DrainSet:
                return Word(ref rest, out var drained) && Word(ref rest, out var flag)
                    ? new FeedChange(DrainSet, seq, [Encoding.UTF8.GetString(drained)], 0, flag.SequenceEqual("1"u8), null)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>Takes the next space-separated word; for <c>U</c>, what is left after the fourth is the record.</summary>
    private static bool Word(ref Span<byte> rest, out ReadOnlySpan<byte> word)
    {
        if (rest.IsEmpty)
        {
            word = default;
            return false;
        }
        var space = rest.IndexOf((byte)' ');
        word = space < 0 ? rest : rest[..space];
        rest = space < 0 ? [] : rest[(space + 1)..];
        return !word.IsEmpty;
    }
}
