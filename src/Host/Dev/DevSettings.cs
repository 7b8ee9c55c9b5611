namespace EccoStudio.Host.Dev;

/// <summary>What <c>dev</c> was asked to run (the parsed command line).</summary>
public sealed record DevSettings
{
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>HTTP surface port (0 = a free one).</summary>
    public int Port { get; init; } = 7071;

    /// <summary>Embedded GCS emulator port (0 = a free one).</summary>
    public int GcsPort { get; init; } = 4443;

    /// <summary>Data directory: the emulator keeps objects under <c>{Data}/gcs</c>.</summary>
    public string DataDirectory { get; init; } = "./.ecco";

    /// <summary>Azure Storage connection string for the durable backend; null = in-memory engine (unless <see cref="StartAzurite"/>).</summary>
    public string? AzuriteConnection { get; init; }

    /// <summary>Start an Azurite of our own (the pinned npm package, data under <c>{Data}/azurite</c>) and use it as the durable backend.</summary>
    public bool StartAzurite { get; init; }

    /// <summary>A running GCS emulator to use instead of the embedded one (several dev processes on one bucket).</summary>
    public Uri? GcsEmulator { get; init; }

    /// <summary>Durable worker id; null = <see cref="Engine.DurableEngineOptions"/>' default (host name and process id).</summary>
    public string? WorkerId { get; init; }

    /// <summary>
    /// With the in-memory engine, run the startup recovery sweep (<see cref="StartupRecovery"/>). The command line turns
    /// it on unless <c>--no-recovery</c>; hosts built in code (tests) opt in.
    /// </summary>
    public bool Recovery { get; init; }

    /// <summary>The durable backend is Azure Storage (Azurite), started by us or given.</summary>
    public bool Durable => StartAzurite || AzuriteConnection is not null;

    /// <summary>host:port of a Pub/Sub emulator; wires GCS notifications → topic → push subscription → bridge.</summary>
    public string? PubSubEmulator { get; init; }

    /// <summary>
    /// Create the topic, push subscription and notification config on <see cref="PubSubEmulator"/>; false = only the
    /// emulator's notifications are published there (the topology comes from <c>provision</c>).
    /// </summary>
    public bool WirePubSub { get; init; } = true;

    public string PubSubProject { get; init; } = "ecco-local";

    public string PubSubTopic { get; init; } = "ecco-gcs-events";

    public string PubSubSubscription { get; init; } = "ecco-gcs-bridge";

    /// <summary>Required API key from the command line (null = take it from the environment or a key file, see <see cref="DevSecrets"/>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>A file whose first line is the API key (used when no <see cref="ApiKey"/> flag or environment key is given).</summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>Environments served (schemas published for each).</summary>
    public IReadOnlyList<string> Environments { get; init; } = ["dev"];

    public string Bucket { get; init; } = Storage.Layout.StorageLayoutOptions.DefaultBucket;
}
