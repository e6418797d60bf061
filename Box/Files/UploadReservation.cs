namespace Dandelion.Box.Files;

/// <summary>
/// The room one upload in progress holds in the quota, so uploads running at once can never
/// together pass it (<see cref="FileStore.Reserve"/>). Disposing gives the room back.
/// </summary>
internal sealed class UploadReservation(FileStore store, string key) : IDisposable
{
    public string Key { get; } = key;

    /// <summary>Bytes held; changed only by <see cref="FileStore"/> under its commit lock.</summary>
    public long Bytes { get; set; }

    public void Dispose() => store.Release(this);
}
