using EccoStudio.Testing;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>Every test class in this collection shares one real Pub/Sub emulator.</summary>
[CollectionDefinition(PubSubEmulatorFixture.CollectionName)]
public sealed class NotificationPubSubGroup : ICollectionFixture<PubSubEmulatorFixture>;
