namespace EccoStudio.Testing;

/// <summary>A message to publish through <see cref="PubSubEmulatorFixture.PublishAsync"/>.</summary>
public sealed record PubSubOutgoingMessage(byte[] Data, IReadOnlyDictionary<string, string>? Attributes = null);

/// <summary>A message pulled from a subscription of the Pub/Sub emulator.</summary>
public sealed record PubSubReceivedMessage(
    string AckId,
    string MessageId,
    byte[] Data,
    IReadOnlyDictionary<string, string> Attributes,
    string PublishTime);
