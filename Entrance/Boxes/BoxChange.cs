using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// What about a stored box is worth rewriting it for. The fingerprint covers what a box says
/// once and keeps (identity, name, addresses, URLs, capacities, state, where it was placed and how); the three
/// score parts that move with use (bandwidth, storage, load) are compared with a step of
/// <see cref="PartStep"/>. The rest (SEQ, CPU and memory use, load averages, the clock rate, FILES)
/// changes every heartbeat and is rewritten only with one of these or at <c>RecordRefresh</c>.
/// </summary>
internal sealed record BoxChange(string Fingerprint, double Bandwidth, double Storage, double Load)
{
    /// <summary>A score part must move this much before the record is rewritten for it.</summary>
    public const double PartStep = 0.02;

    public static BoxChange Of(StoredBox box)
    {
        var parts = BoxScorer.Parts(BoxFigures.Of(box), 0);
        var hash = new Fnv();
        hash.Add(box.Id).Add(box.Ip).Add(box.Port).Add(box.Type).Add(box.Version).Add(box.ConnectWs).Add(box.CpuNum)
            .Add(box.MemoryTotal).Add(box.DiskTotal).Add(box.HttpUrl).Add(box.StorageQuota).Add(box.BandwidthCeiling).Add(box.State)
            .Add(box.Geo.Known ? "1" : "0").Add(box.Geo.Country).Add(box.Geo.City).Add(box.Geo.Region).Add(box.Geo.Organization)
            .Add(box.Geo.Latitude).Add(box.Geo.Longitude)
            .Add(box.Name).Add(box.Geo.Source).Add(box.GeoIp?.City).Add(box.GeoIp?.Country).Add(box.Location?.City).Add(box.Location?.Country).Add(box.Network);
        return new BoxChange(hash.Hex, parts.Bandwidth, parts.Storage, parts.Load);
    }

    /// <summary>64-bit FNV-1a: stable across processes (every entrance must agree), unlike <see cref="HashCode"/>.</summary>
    private sealed class Fnv
    {
        private ulong _hash = 14695981039346656037UL;

        public string Hex => _hash.ToString("x16", CultureInfo.InvariantCulture);

        public Fnv Add(string? text)
        {
            foreach (var c in text ?? "\u0001")
                _hash = (_hash ^ c) * 1099511628211UL;
            _hash = (_hash ^ 0xFFFF) * 1099511628211UL;
            return this;
        }

        public Fnv Add(long? number) => Add(number?.ToString(CultureInfo.InvariantCulture));

        public Fnv Add(double number) => Add(number.ToString("R", CultureInfo.InvariantCulture));
    }
}
