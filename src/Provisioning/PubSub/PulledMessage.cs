namespace EccoStudio.Provisioning.PubSub;

/// <summary>One message from a pull: its ack id, id, base64 data and attributes as Pub/Sub sent them.</summary>
public sealed record PulledMessage(string AckId, string MessageId, string Data, IReadOnlyDictionary<string, string> Attributes, string PublishTime);
