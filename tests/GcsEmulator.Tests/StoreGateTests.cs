using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Store;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>The store asks the mutation gate before every mutation of an object name, and only then.</summary>
public sealed class StoreGateTests
{
    private sealed class CountingGate : IMutationGate
    {
        public bool Allow { get; set; } = true;

        public List<(string Bucket, string Name)> Asked { get; } = [];

        public bool TryAcquire(string bucket, string objectName)
        {
            Asked.Add((bucket, objectName));
            return Allow;
        }
    }

    private sealed class NoEvents : IStoreChangeListener
    {
        public void OnCommitted(StoreChange change)
        {
        }
    }

    [Fact]
    public void Mutations_AskGatePerNameAndAnswer429WhenDenied()
    {
        var gate = new CountingGate();
        using var store = new GcsStore(new MemoryPersistence(), gate, new NoEvents());
        store.CreateBucket("p", new JsonObject { ["name"] = "gated" });
        var o = store.PutObject("gated", new ObjectWrite { Name = "a" }, [1], Preconditions.None);
        store.UpdateObject("gated", "a", null, new JsonObject { ["contentType"] = "text/plain" }, replace: false, Preconditions.None);
        store.CopyObject("gated", "a", null, Preconditions.None, "gated", "b", null, Preconditions.None);
        store.ComposeObject("gated", "c", [new ComposeSource("a", null, null)], null, Preconditions.None);
        store.DeleteObject("gated", "a", null, Preconditions.None);
        Assert.Equal([("gated", "a"), ("gated", "a"), ("gated", "b"), ("gated", "c"), ("gated", "a")], gate.Asked);

        // A failed precondition is no mutation: the gate is not asked.
        Assert.Throws<GcsException>(() => store.PutObject("gated", new ObjectWrite { Name = "b" }, [2], new Preconditions(IfGenerationMatch: 0)));
        Assert.Equal(5, gate.Asked.Count);

        gate.Allow = false;
        var denied = Assert.Throws<GcsException>(() => store.PutObject("gated", new ObjectWrite { Name = "b" }, [3], Preconditions.None));
        Assert.Equal(429, denied.StatusCode);
        Assert.Equal("rateLimitExceeded", denied.Reason);
        Assert.Equal([1], store.ReadData(store.GetObject("gated", "b", null, Preconditions.None)));
        Assert.True(o.Generation > 0);
    }
}
