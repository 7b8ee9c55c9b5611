using EccoStudio.GcsEmulator.Faults;
using EccoStudio.GcsEmulator.Notifications;

namespace EccoStudio.GcsEmulator;

/// <summary>How to run the emulator.</summary>
public sealed class GcsEmulatorOptions
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>0 = pick a free port.</summary>
    public int Port { get; set; }

    /// <summary>null = in-memory.</summary>
    public string? DataDirectory { get; set; }

    public string ProjectId { get; set; } = "ecco-local";

    public FaultSettings Faults { get; set; } = new();

    /// <summary>host:port of the Pub/Sub (emulator) endpoint; null = read PUBSUB_EMULATOR_HOST; empty or "none" = no publishing.</summary>
    public string? PubSubEmulatorHost { get; set; }

    /// <summary>Largest request body accepted (413 above it); default 256 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Accept any Host header and foreign Origins (only for an emulator deliberately served beyond loopback, e.g. in a
    /// container network). Off by default: see <see cref="Hosting.LocalRequestGuard"/>.
    /// </summary>
    public bool AllowRemoteHosts { get; set; }

    /// <summary>An extra sink for committed object changes (tests); the publisher is created from <see cref="PubSubEmulatorHost"/>.</summary>
    public IObjectEventSink? EventSink { get; set; }
}
