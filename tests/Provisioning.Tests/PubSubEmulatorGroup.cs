using EccoStudio.Testing;

namespace EccoStudio.Provisioning.Tests;

/// <summary>Test classes that need the real Pub/Sub emulator share one (it takes seconds to start).</summary>
[CollectionDefinition(PubSubEmulatorFixture.CollectionName)]
public sealed class PubSubEmulatorGroup : ICollectionFixture<PubSubEmulatorFixture>;
