namespace Dandelion.LocalNetwork;

/// <summary>Prints each step of the start on its own line, as it happens.</summary>
internal sealed class ConsoleSteps : IProgress<string>
{
    public void Report(string value) => Console.WriteLine("local: " + value);
}
