namespace Dandelion.Entrance.Tests.Support;

/// <summary>Polls for an effect with a generous deadline instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        var last = default(T);
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (done(last))
                return last;
            await Task.Delay(50);
        }
        Assert.Fail($"Timed out waiting for {what}; last seen: {last}");
        return last!;
    }
}
