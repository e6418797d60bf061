namespace Dandelion.LocalNetwork;

internal static class FreePort
{
    /// <summary>A loopback TCP port nobody listens on right now (see <see cref="Dandelion.Ports.PortPicker"/>).</summary>
    public static int Next() => Dandelion.Ports.PortPicker.Next();
}
