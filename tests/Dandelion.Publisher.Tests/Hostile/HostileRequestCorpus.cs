namespace Dandelion.Publisher.Tests.Hostile;

/// <summary>
/// The hostile-input corpus for a publisher's HTTP side (issue 9), beyond the first tables in
/// <see cref="MediaTests"/>: one row per kind. Run by <see cref="MediaTests"/> against the real
/// publisher on Kestrel, with a secret beside the publish directory and a link to it inside.
/// </summary>
public static class HostileRequestCorpus
{
    /// <summary>Media URLs that must reach no file: 404, or Kestrel's own 400 for a request it cannot read.</summary>
    public static TheoryData<string> MediaUrls() => new()
    {
        "media/pub/%252E%252E/secret.txt",            // double-encoded dots
        "media/pub/%25252E%25252E/secret.txt",        // triple-encoded dots
        "media/pub/..%252Fsecret.txt",                // a double-encoded slash
        "media/pub/%2e%2e%2fsecret.txt",              // dots and slash encoded, lower case
        "media/pub/.%2e/secret.txt",                  // half-encoded dots
        "media/pub/%E2%80%A4%E2%80%A4/secret.txt",    // one-dot leaders U+2024
        "media/pub/%EF%BC%8E%EF%BC%8E/secret.txt",    // fullwidth full stops U+FF0E
        "media/pub/%E3%80%82%E3%80%82/secret.txt",    // ideographic full stops U+3002
        "media/pub/%EF%B9%92%EF%B9%92/secret.txt",    // small full stops U+FE52
        "media/pub/%E2%80%A5/secret.txt",             // a two-dot leader U+2025
        "media/pub/%C0%AE%C0%AE/secret.txt",          // overlong UTF-8 dots
        "media/pub/%E0%80%AE%E0%80%AE/secret.txt",    // three-byte overlong dots
        "media/pub/%C0%AFsecret.txt",                 // an overlong slash
        "media/pub/%00",                              // an encoded NUL
        "media/pub/a.bin%00.txt",                     // NUL truncation
        "media/pub/link.txt%00",                      // NUL after the link
        "media/pub/a.bin/..%2F..%2Fsecret.txt",       // climbing from a file
        "media/pub/%2Fetc%2Fpasswd",                  // an absolute path, encoded
        "media/pub/%5C..%5Csecret.txt",               // encoded backslashes
        "media/pub/%u002e%u002e/secret.txt",          // IIS-style %u escapes
        "media/pub/..;/secret.txt",                   // a path parameter after ..
        "media/pub/~/secret.txt",                     // a home directory
        "media/pub/LINK.TXT",                         // the link, other case
        "media/pub/a.bin::$DATA",                     // an NTFS stream name
        "media/pub/a.bin.",                           // a trailing dot
        "media/pub/a.bin%20",                         // a trailing space
        "media/%2E%2E/secret.txt",                    // the publish directory's name encoded as ..
        "media/pub%2F..%2Fsecret.txt",                // the separator after the directory encoded
        "media/pub/" + new string('n', 4000),         // a very long name
    };

    /// <summary>Bodies of <c>POST /api/files</c> that must be refused with 400; <c>{a}</c> is a published file's path.</summary>
    public static TheoryData<string> FileRequests() => new()
    {
        "not json",
        "[]",
        "null",
        "{}",
        """{"ttl":10}""",
        """{"path":null,"ttl":10}""",
        """{"path":42,"ttl":10}""",
        """{"path":"","ttl":10}""",
        """{"path":"a.bin","ttl":10}""",
        """{"path":"{a}\u0000.txt","ttl":10}""",
        """{"path":"{a}","ttl":true}""",
        """{"path":"{a}","ttl":[10]}""",
        """{"path":"{a}","ttl":{"s":10}}""",
        """{"path":"{a}","ttl":-9223372036854775808}""",
        """{"path":"{a}","ttl":9223372036854775808}""",
        """{"path":"{pub}","ttl":10}""",
    };
}
