using EccoStudio.GcsEmulator.Faults;
using EccoStudio.GcsEmulator.Model;
using EccoStudio.GcsEmulator.Store;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>What a killed process can leave on disk, and how the store recovers from it.</summary>
public sealed class DiskRecoveryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gcs-emu-recover-" + Guid.NewGuid().ToString("N"));

    private sealed class NoEvents : IStoreChangeListener
    {
        public void OnCommitted(StoreChange change)
        {
        }
    }

    private sealed class AllowAll : IMutationGate
    {
        public bool TryAcquire(string bucket, string objectName) => true;
    }

    private GcsStore Open() => new(new DiskPersistence(_dir), new AllowAll(), new NoEvents());

    [Fact]
    public void Load_CrashBetweenCommitAndArchive_NewestLiveOldNoncurrent()
    {
        long first;
        using (var store = Open())
        {
            store.CreateBucket("p", new System.Text.Json.Nodes.JsonObject { ["name"] = "crash-bucket", ["versioning"] = new System.Text.Json.Nodes.JsonObject { ["enabled"] = true } });
            first = store.PutObject("crash-bucket", new ObjectWrite { Name = "o" }, [1], Preconditions.None).Generation;
        }

        // Simulate a crash after the new generation was committed but before the old one was archived.
        using (var persistence = new DiskPersistence(_dir))
        {
            var staged = persistence.Stage([2]);
            persistence.Commit(staged, new ObjectMeta { Bucket = "crash-bucket", Name = "o", Generation = first + 10, Crc32c = "x", Size = 1 });
            // And a half-written temp file.
            File.WriteAllBytes(Path.Combine(_dir, "tmp", "leftover.tmp"), [9, 9]);
        }

        using (var store = Open())
        {
            var live = store.GetObject("crash-bucket", "o", null, Preconditions.None);
            Assert.Equal(first + 10, live.Generation);
            var versions = store.ListObjects("crash-bucket", new ListQuery(Versions: true));
            Assert.Equal([first, first + 10], versions.Items.Select(m => m.Generation));
            Assert.NotNull(versions.Items[0].TimeDeleted);
            Assert.Equal([1], store.ReadData(versions.Items[0]));
            var next = store.PutObject("crash-bucket", new ObjectWrite { Name = "o" }, [3], new Preconditions(IfGenerationMatch: first + 10));
            Assert.True(next.Generation > first + 10);
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "tmp")));
    }

    [Fact]
    public void DiskLayout_LongUnicodeSlashedNames_RoundTrip()
    {
        var names = new[] { new string('a', 1024), "ü/ß/😀/" + new string('é', 300), "a/../b", "CON", "with space/and?query#hash" };
        using (var store = Open())
        {
            store.CreateBucket("p", new System.Text.Json.Nodes.JsonObject { ["name"] = "names-bucket" });
            foreach (var name in names)
            {
                store.PutObject("names-bucket", new ObjectWrite { Name = name }, System.Text.Encoding.UTF8.GetBytes(name), Preconditions.None);
            }
        }

        using (var store = Open())
        {
            foreach (var name in names)
            {
                var meta = store.GetObject("names-bucket", name, null, Preconditions.None);
                Assert.Equal(name, System.Text.Encoding.UTF8.GetString(store.ReadData(meta)));
            }
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
