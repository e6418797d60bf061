namespace Dandelion.Box.Tests.Household;

/// <summary>A viewer reading a file from the box as fast as it comes, counting the bytes.</summary>
internal sealed class Download : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private long _received;

    private Download(HttpClient http, string path) => _reading = ReadAsync(http, path);

    /// <summary>Body bytes received so far; throws what the download failed with, if it did.</summary>
    public long Received => _reading.IsFaulted ? throw _reading.Exception! : Interlocked.Read(ref _received);

    public static Download Start(HttpClient http, string path) => new(http, path);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpClient http, string path)
    {
        await Task.Yield();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, _stop.Token)) > 0)
            Interlocked.Add(ref _received, read);
    }
}
