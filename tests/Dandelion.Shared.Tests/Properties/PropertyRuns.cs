namespace Dandelion.Shared.Tests.Properties;

/// <summary>How many cases each property runs: thousands, on one thread (the machine is shared).</summary>
internal static class PropertyRuns
{
    public const long Cases = 10_000;
    public const int Threads = 1;
}
