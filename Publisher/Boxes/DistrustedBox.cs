namespace Dandelion.Publisher.Boxes;

/// <summary>A box the publisher no longer uses: the file it was caught altering, and when.</summary>
internal sealed record DistrustedBox(string Box, string File, DateTimeOffset Since);
