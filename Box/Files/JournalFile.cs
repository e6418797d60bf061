namespace Dandelion.Box.Files;

/// <summary>
/// The append-only journals the box keeps (<see cref="ExpiryIndex"/>, the traffic outbox):
/// rewritten whole when they have grown well past what they hold.
/// </summary>
internal static class JournalFile
{
    /// <summary>
    /// Replaces the journal at <paramref name="path"/> with what <paramref name="write"/> writes, all
    /// or nothing: into a temporary file, to the disk, then moved over the old one in one step, so a
    /// crash leaves either journal whole. Returns the new journal, open for appending.
    /// </summary>
    public static FileStream Rewrite(string path, Action<TextWriter> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
        {
            write(writer);
            writer.Flush();
            ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }
}
