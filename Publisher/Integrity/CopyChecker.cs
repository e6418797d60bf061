using System.Buffers;
using System.Security.Cryptography;
using Dandelion.Publisher.Boxes;

namespace Dandelion.Publisher.Integrity;

/// <summary>
/// Fetches one copy from the box that holds it, as a viewer would, and compares its bytes with
/// what was placed: the publisher's own check of a viewer's report. Bounded: at most the file's
/// size plus one byte is read, within <see cref="Timeout"/>. The box's TLS certificate is judged
/// as for its session (<see cref="BoxCertificates"/>).
/// </summary>
internal sealed class CopyChecker : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private const int ChunkBytes = 64 * 1024;
    private readonly HttpClient _http;

    public CopyChecker(BoxCertificates certificates)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            certificates.Decide(certificate, errors, version1Box: false, out _) != CertificateTrust.Refused;
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public async Task<ReportVerdict> CheckAsync(string url, long size, string sha256, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return ReportVerdict.Unreachable;
            var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long read = 0;
                int n;
                while ((n = await body.ReadAsync(buffer.AsMemory(0, ChunkBytes), deadline.Token).ConfigureAwait(false)) > 0)
                {
                    read += n;
                    // More bytes than were placed: not the file, whatever follows.
                    if (read > size)
                        return ReportVerdict.Confirmed;
                    hash.AppendData(buffer, 0, n);
                }
                return read == size && Convert.ToHexStringLower(hash.GetHashAndReset()) == sha256 ? ReportVerdict.Good : ReportVerdict.Confirmed;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ReportVerdict.Unreachable;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _http.Dispose();
}
