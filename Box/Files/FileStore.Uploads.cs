namespace Dandelion.Box.Files;

/// <summary>
/// Uploads in progress hold room in the quota as their bytes arrive, so parallel pushes cannot
/// together store more than the quota allows (each alone would fit; all at once would not).
/// </summary>
internal sealed partial class FileStore
{
    /// <summary>Room is taken in steps of this, so a large upload checks the quota and the disk once a MiB, not once a chunk.</summary>
    private const long ReserveStep = 1L << 20;

    /// <summary>Bytes held by every <see cref="UploadReservation"/> now; under <see cref="_commitGate"/>.</summary>
    private long _reserved;

    /// <summary>Bytes held by uploads in progress, for tests and metrics.</summary>
    public long Reserved
    {
        get { lock (_commitGate) return _reserved; }
    }

    public UploadReservation StartUpload(StorageTarget target) => new(this, target.Key);

    /// <summary>
    /// Makes sure <paramref name="reservation"/> holds at least <paramref name="size"/> bytes: null
    /// when it does, else why not (the quota, counting every other upload in progress, or the disk).
    /// </summary>
    public FileRefusal? Reserve(UploadReservation reservation, long size)
    {
        lock (_commitGate)
        {
            if (size <= reservation.Bytes)
                return null;
            var step = Math.Min(Math.Max(size, reservation.Bytes + ReserveStep), _options.MaxFileSize);
            if (step > size && RoomBeside(reservation, step) is null)
                return Take(reservation, step);
            if (RoomBeside(reservation, size) is null)
                return Take(reservation, size);
            SweepExpired();
            return RoomBeside(reservation, size) ?? Take(reservation, size);
        }
    }

    /// <summary>Gives back what <paramref name="reservation"/> holds (after its commit or refusal).</summary>
    public void Release(UploadReservation reservation)
    {
        lock (_commitGate)
        {
            _reserved -= reservation.Bytes;
            reservation.Bytes = 0;
        }
    }

    private FileRefusal? RoomBeside(UploadReservation reservation, long size) =>
        _room.Check(Used - StoredSize(reservation.Key) + _reserved - reservation.Bytes, size, size - reservation.Bytes);

    private FileRefusal? Take(UploadReservation reservation, long size)
    {
        _reserved += size - reservation.Bytes;
        reservation.Bytes = size;
        return null;
    }

    private long StoredSize(string key) => _index.TryGet(key, out var old) ? old.Size : 0;
}
