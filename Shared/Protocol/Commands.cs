namespace Dandelion.Shared.Protocol;

/// <summary>The values of <c>COMMAND</c>. Version 1 knows the first three only.</summary>
public static class Commands
{
    public const string Exchange = "EXCHANGE";
    public const string Search = "SEARCH";
    public const string Publish = "PUBLISH";

    // Version 2: a box's answer to one file frame.
    public const string Stored = "STORED";
    public const string Refused = "REFUSED";

    // Version 2: a box tells a publisher that files it held for it are gone.
    public const string Removed = "REMOVED";

    // Version 2: pushed by an entrance to a box on its session.
    public const string Drain = "DRAIN";
    public const string Resume = "RESUME";
    public const string Purge = "PURGE";
}
