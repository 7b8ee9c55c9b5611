using EccoStudio.Testing;

namespace EccoStudio.Reliability.Tests;

/// <summary>One real Pub/Sub emulator for the tests that need it.</summary>
[CollectionDefinition(PubSubEmulatorFixture.CollectionName)]
public sealed class PubSubEmulatorGroup : ICollectionFixture<PubSubEmulatorFixture>;
