using System.Net;
using System.Text;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Google;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Storage.Tests.Store;

/// <summary>
/// The store's retry policy against real injected faults: idempotent (preconditioned) calls are retried through
/// 503/429 and land exactly once; a call without a precondition is never retried; a 412 is an answer, not retried.
/// Faults are server-wide, so each test sets them after creating its bucket and clears them at the end.
/// </summary>
public sealed class GcsObjectStoreRetryTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>, IDisposable
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"X","n":1}""");
    private readonly RetryLog _log = new();

    public void Dispose()
    {
        emulator.Server.Faults.Update(new FaultSettings());
        emulator.Server.Faults.Stats.Reset();
    }

    private async Task<(GcsObjectStore Store, string Bucket)> NewStoreAsync()
    {
        var bucket = await emulator.CreateBucketAsync();
        var options = new ObjectStoreOptions
        {
            MaxRetryAttempts = 8,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
        };
        return (new GcsObjectStore(emulator.CreateClient(), options, new StorageOperationCounter(), _log), bucket);
    }

    private void Inject(FaultSettings settings)
    {
        emulator.Server.Faults.Stats.Reset();
        emulator.Server.Faults.Update(settings);
    }

    [Fact]
    public async Task PutAsync_CreateOnlyUnder503And429_RetriesAndEveryObjectLandsOnce()
    {
        var (store, bucket) = await NewStoreAsync();
        Inject(new FaultSettings { Rate503 = 0.3, Rate429 = 0.1, Seed = 11 });

        for (var i = 0; i < 20; i++)
        {
            await store.PutAsync(bucket, $"retry/put-{i:D2}.json", Body, new PutOptions { IfGenerationMatch = 0 });
        }

        var injected = emulator.Server.Faults.Stats.Snapshot();
        emulator.Server.Faults.Update(new FaultSettings());
        Assert.True(injected.ServiceUnavailable + injected.TooManyRequests > 0, "the seeded run must inject faults");
        Assert.True(_log.Retries > 0, "the store must have retried");
        var listed = await store.ListAllAsync(bucket, "retry/");
        Assert.Equal(20, listed.Count);
        Assert.All(listed, o => Assert.Equal(Body.Length, (int)o.Size));
    }

    [Fact]
    public async Task PutAsync_FaultRuleOnObjectPrefix_MatchesSingleRequestUploads()
    {
        var (store, bucket) = await NewStoreAsync();
        Inject(new FaultSettings { Rate503 = 1, ObjectPrefix = "env/dev/snapshots/" });

        await store.PutAsync(bucket, "env/dev/ventures/V1/history/x.json", Body, PutOptions.CreateOnly);
        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            store.PutAsync(bucket, "env/dev/snapshots/ventures/V1.json", Body, new PutOptions()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.HttpStatusCode);
        Assert.Equal(1, emulator.Server.Faults.Stats.Snapshot().ServiceUnavailable);
    }

    [Fact]
    public async Task GetAsync_Under503_RetriesAndReturnsContent()
    {
        var (store, bucket) = await NewStoreAsync();
        await store.PutAsync(bucket, "retry/get.json", Body, new PutOptions { IfGenerationMatch = 0 });
        Inject(new FaultSettings { Rate503 = 0.5, Method = "GET", Seed = 3 });

        for (var i = 0; i < 10; i++)
        {
            var read = await store.GetAsync(bucket, "retry/get.json");
            Assert.NotNull(read);
            Assert.Equal(Body, read.Content.ToArray());
        }

        Assert.True(emulator.Server.Faults.Stats.Snapshot().ServiceUnavailable > 0);
        Assert.True(_log.Retries > 0);
    }

    [Fact]
    public async Task PutAsync_WithoutPreconditionUnder503_IsNotRetried()
    {
        var (store, bucket) = await NewStoreAsync();
        Inject(new FaultSettings { Rate503 = 1 });

        var error = await Assert.ThrowsAsync<GoogleApiException>(() =>
            store.PutAsync(bucket, "retry/blind.json", Body, new PutOptions()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.HttpStatusCode);
        Assert.Equal(0, _log.Retries);
        Assert.Equal(1, emulator.Server.Faults.Stats.Snapshot().ServiceUnavailable);
    }

    [Fact]
    public async Task PutAsync_CreateOnlyOnExistingObject_Throws412WithoutRetry()
    {
        var (store, bucket) = await NewStoreAsync();
        await store.PutAsync(bucket, "retry/exists.json", Body, new PutOptions { IfGenerationMatch = 0 });

        var error = await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            store.PutAsync(bucket, "retry/exists.json", Encoding.UTF8.GetBytes("{}"), new PutOptions { IfGenerationMatch = 0 }));

        Assert.Equal("retry/exists.json", error.Name);
        Assert.Equal(0, _log.Retries);
        var read = await store.GetAsync(bucket, "retry/exists.json");
        Assert.Equal(Body, read!.Content.ToArray());
    }

    /// <summary>A logger that counts the store's retry log lines (a fake, not a mock: it only records).</summary>
    private sealed class RetryLog : ILogger<GcsObjectStore>
    {
        private int _retries;

        public int Retries => Volatile.Read(ref _retries);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("retry", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _retries);
            }
        }
    }
}
