namespace Dandelion.Box.Entrances;

/// <summary>One EXCHANGE as sent: its bytes, the id of its last traffic entry (null: none), how many entries it carries.</summary>
internal sealed record ExchangeBatch(byte[] Message, long? LastId, int Count)
{
    public int Bytes => Message.Length;
}
