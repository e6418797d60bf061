using Dandelion.Entrance.Auth;
using Dandelion.Shared.Identity;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class RevokedIdsTests
{
    [Fact]
    public void Every_id_added_one_by_one_or_in_bulk_is_held_and_others_are_not()
    {
        var ids = Enumerable.Range(0, 5_000).Select(i => $"box-{Guid.NewGuid():N}").ToList();
        var one = ids.Take(2_500).Aggregate(RevokedIds.Empty, (set, id) => set.With(id));
        var both = one.With(ids.Skip(2_500)).With(ids.Take(10));

        Assert.Equal(5_000, both.Count);
        Assert.All(ids, id => Assert.True(both.Contains(id)));
        Assert.All(ids.Skip(2_500), id => Assert.False(one.Contains(id)));
        Assert.All(Enumerable.Range(0, 5_000), _ => Assert.False(both.Contains($"box-{Guid.NewGuid():N}")));
        Assert.Same(both, both.With(ids[0]));
    }

    [Fact]
    public void A_real_id_is_refused_once_revoked_whatever_its_role()
    {
        foreach (var role in new[] { NodeRole.Box, NodeRole.Publisher })
        {
            var directory = Directory.CreateTempSubdirectory().FullName;
            var id = NodeIdentity.LoadOrCreate(directory, role);
            Directory.Delete(directory, recursive: true);
            Assert.False(RevokedIds.Empty.Contains(id));
            Assert.True(RevokedIds.Empty.With(id).Contains(id));
        }
    }
}
