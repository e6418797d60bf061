using Dandelion.Box.Traffic;
using Dandelion.Shared.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Dandelion.Box.Serving;

/// <summary>
/// The response body of a file request, counting each chunk into the <see cref="BandwidthMeter"/>
/// as it is handed to Kestrel: the upload rate follows the bytes sent, not the access log read
/// later. The whole-file path writes through its <see cref="CountingPipeWriter"/>; the upload
/// ceiling's throttle and ASP.NET's file result through the stream. A viewer that disconnects
/// stops the writes, and with them the count.
/// </summary>
internal static class CountingBody
{
    public static CountingResponseBody For(IHttpResponseBodyFeature inner, BandwidthMeter meter) =>
        new(inner, meter.Add, () => new CountingPipeWriter(inner.Writer, meter));
}
