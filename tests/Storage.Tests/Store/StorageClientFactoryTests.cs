using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Tests.Store;

public class StorageClientFactoryTests
{
    [Fact]
    public void CreateDefault_StrayEmulatorHost_RefusedUnlessAllowed()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            StorageClientFactory.CreateDefault(environment: name => name == StorageClientFactory.EmulatorHostVariable ? "attacker.example:4443" : null));
        Assert.Contains("STORAGE_EMULATOR_HOST is set", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", e.Message, StringComparison.Ordinal);
    }
}
