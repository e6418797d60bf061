namespace Dandelion.Deployment.Tests;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="probe"/> gives a value; never a fixed sleep, a generous deadline.</summary>
    public static async Task<T> Until<T>(Func<Task<T?>> probe, string what, TimeSpan? within = null) where T : class
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(250);
        }
    }

    public static async Task<T> Until<T>(Func<Task<T?>> probe, string what, TimeSpan? within = null) where T : struct =>
        (await Until<object>(async () => await probe() is { } value ? value : null, what, within)) is T found ? found : default;
}
