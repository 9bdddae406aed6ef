using System.Net;
using System.Net.Sockets;

namespace OrleansMemory.Tests;

/// <summary>Loopback ports free at the time of asking, for servers a test starts (one file, linked into the test projects
/// that start servers).</summary>
internal static class LoopbackPorts
{
    /// <summary>One free port.</summary>
    public static int Free() => Free(1)[0];

    /// <summary><paramref name="count"/> free ports, all different: each is held until all are chosen, because a port
    /// given back at once can be handed out again by the next ask (two settings then named the same port).</summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
