namespace Dandelion.Box.Files;

/// <summary>Why a file was not stored: a <see cref="ProtocolErrorCodes"/> value and words for the publisher.</summary>
internal sealed record FileRefusal(string Code, string Message)
{
    public static FileRefusal BadPath(string why) => new(ProtocolErrorCodes.BadPath, $"Bad FILE_PATH: {why}");
    public static FileRefusal BadTtl(string why) => new(ProtocolErrorCodes.BadTtl, $"Bad TTL: {why}");
    public static FileRefusal TooBig(long limit) => new(ProtocolErrorCodes.TooBig, $"The file is larger than this box's limit of {limit} bytes.");
    public static FileRefusal Quota(long quota) => new(ProtocolErrorCodes.QuotaExceeded, $"Storing the file would pass this box's quota of {quota} bytes.");
    public static FileRefusal DiskFull(double keptFree) => new(ProtocolErrorCodes.QuotaExceeded,
        $"Storing the file would leave less than {keptFree:P0} of this box's disk free for its household.");
    public static FileRefusal Leaving() => new(ProtocolErrorCodes.Draining, "This box is stopping and takes no new files.");
    public static FileRefusal Draining() => new(ProtocolErrorCodes.Draining, "This box is draining and takes no new files.");
}
