using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using EccoStudio.Api.Reads;
using EccoStudio.Api.Tests.Fakes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Api.Tests.Reads;

/// <summary>Index reads never serve a pointer that disagrees with the snapshot it names, and repair what they find.</summary>
public sealed class IndexReadTests(GcsEmulatorFixture gcs) : IClassFixture<GcsEmulatorFixture>, IAsyncLifetime
{
    private readonly RecordingScheduler _scheduler = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync() => _services = ApiServices.Build(gcs, await gcs.CreateBucketAsync(), _scheduler);

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private static JsonObject Venture(string id, string updatedAt, string lead, string status) => new()
    {
        ["id"] = id, ["entity"] = "venture", ["env"] = "dev", ["schema_version"] = "1.0.0",
        ["created_at"] = "2025-11-01T00:00:00Z", ["updated_at"] = updatedAt, ["name"] = "Venture " + id, ["lead"] = lead, ["status"] = status,
    };

    [Fact]
    public async Task Query_PointerUnderKeyTheEntityLeft_NotServedCountedAndDeleted()
    {
        var storage = _services.GetRequiredService<StorageContext>();
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-R1");
        var pipeline = new EntityWritePipeline(storage);
        await pipeline.WriteAsync(target, Venture("V-R1", "2025-11-06T10:00:00Z", "Bob", "Pilot"), Ulid.NewUlid());
        var stale = await storage.Store.GetAsync(storage.Bucket("dev"), "env/dev/indices/ventures/by-lead/Bob/V-R1.json");
        await pipeline.WriteAsync(target, Venture("V-R1", "2025-11-06T11:00:00Z", "Chen", "Pilot"), Ulid.NewUlid());
        // What a lost race leaves: the old key's pointer back in place while the snapshot says lead=Chen.
        await storage.Store.PutAsync(storage.Bucket("dev"), "env/dev/indices/ventures/by-lead/Bob/V-R1.json", stale!.Content, PutOptions.CreateOnly);
        using var drift = new DriftCounter();

        var bob = await QueryAsync("by-lead", "Bob");
        var chen = await QueryAsync("by-lead", "Chen");

        Assert.Empty(bob);
        Assert.Equal("V-R1", Assert.Single(chen)!["id"]!.GetValue<string>());
        Assert.Null(await storage.Store.GetInfoAsync(storage.Bucket("dev"), "env/dev/indices/ventures/by-lead/Bob/V-R1.json"));
        Assert.Equal(1, drift.Count("pointer-wrong-key"));
        Assert.Equal(0, drift.Count("pointer-stale"));
    }

    [Fact]
    public async Task Query_PointerWithOldDisplayFields_ServedAsTheSnapshotSaysAndRewritten()
    {
        var storage = _services.GetRequiredService<StorageContext>();
        var target = new EntityTarget("dev", EntityCatalog.Venture, "V-R2");
        var pipeline = new EntityWritePipeline(storage);
        await pipeline.WriteAsync(target, Venture("V-R2", "2025-11-06T10:00:00Z", "Bob", "Pilot"), Ulid.NewUlid());
        var name = "env/dev/indices/ventures/by-status/Pilot/V-R2.json";
        var old = (await storage.Store.GetAsync(storage.Bucket("dev"), name))!;
        await pipeline.WriteAsync(target, Venture("V-R2", "2025-11-06T11:00:00Z", "Dana", "Pilot"), Ulid.NewUlid());
        var current = (await storage.Store.GetInfoAsync(storage.Bucket("dev"), name))!;
        await storage.Store.PutAsync(storage.Bucket("dev"), name, old.Content, PutOptions.Replacing(current.Generation));
        using var drift = new DriftCounter();

        var items = await QueryAsync("by-status", "Pilot");

        Assert.Equal("Dana", Assert.Single(items)!["lead"]!.GetValue<string>());
        var stored = JsonText.ParseObject((await storage.Store.GetAsync(storage.Bucket("dev"), name))!.Content.Span);
        Assert.Equal("Dana", stored["lead"]!.GetValue<string>());
        Assert.Equal(1, drift.Count("pointer-stale"));
    }

    private async Task<JsonArray> QueryAsync(string index, string key)
    {
        var handler = _services.GetRequiredService<ReadRequestHandler>();
        var context = HttpExchange.Request("GET", $"/api/dev/ventures?index={index}&key={key}");
        var response = await HttpExchange.RunAsync(context, () => handler.GetCollectionAsync(context.Request, "dev", "ventures", CancellationToken.None));
        Assert.Equal(200, response.Status);
        return response.Body!["items"]!.AsArray();
    }

    /// <summary>Listens to <see cref="ConvergenceMetrics"/>'s drift counter (only increments from the index-read backstop).</summary>
    private sealed class DriftCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

        public DriftCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ConvergenceMetrics.MeterName && instrument.Name == "ecco.drift.found")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? kind = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "kind")
                    {
                        kind = tag.Value as string;
                    }
                }

                lock (_counts)
                {
                    _counts[kind ?? "?"] = _counts.GetValueOrDefault(kind ?? "?") + value;
                }
            });
            _listener.Start();
        }

        public long Count(string kind)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(kind);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
