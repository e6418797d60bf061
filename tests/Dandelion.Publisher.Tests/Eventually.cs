namespace Dandelion.Publisher.Tests;

/// <summary>Polls a condition with a generous deadline: tests never assert how long something takes.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    public static async Task<T> Until<T>(Func<Task<T?>> probe, string what, TimeSpan? deadline = null) where T : class
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        while (true)
        {
            var value = await probe();
            if (value is not null)
                return value;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(100);
        }
    }

    public static async Task Until(Func<Task<bool>> probe, string what, TimeSpan? deadline = null) =>
        await Until<object>(async () => await probe() ? new object() : null, what, deadline);

    public static Task Until(Func<bool> probe, string what, TimeSpan? deadline = null) =>
        Until(() => Task.FromResult(probe()), what, deadline);
}
