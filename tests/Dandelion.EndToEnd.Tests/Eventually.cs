namespace Dandelion.EndToEnd.Tests;

/// <summary>Polls a condition with a generous deadline: a loaded machine may be slow, and that is not what is tested.</summary>
internal static class Eventually
{
    public static async Task Until(Func<Task<bool>> probe, string what, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (!await probe())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Gave up after {deadline} waiting for {what}.");
            await Task.Delay(250);
        }
    }
}
