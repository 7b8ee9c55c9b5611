using System.Net;
using EccoStudio.Storage.Store;
using Google;

namespace EccoStudio.Orchestrations.Tests.Support;

/// <summary>
/// Fault injection in front of the real <see cref="GcsObjectStore"/> by object-name prefix and operation. The
/// emulator's own prefix rules cannot see uploads any more (the store sends single-request multipart uploads, whose
/// object name is only in the body), so write faults are injected here; the failure is the exception the store
/// surfaces for a GCS 503 after its own retries.
/// </summary>
public sealed class StoreFaults
{
    private volatile Rule? _rule;
    private int _injected;

    public int Injected => Volatile.Read(ref _injected);

    public void FailAlways(string prefix, params StorageOperationKind[] operations) => _rule = new Rule(prefix, operations);

    public void Clear() => _rule = null;

    internal void Check(string name, StorageOperationKind operation)
    {
        if (_rule is { } r && name.StartsWith(r.Prefix, StringComparison.Ordinal) && (r.Operations.Length == 0 || r.Operations.Contains(operation)))
        {
            Interlocked.Increment(ref _injected);
            throw new GoogleApiException("storage", $"Backend Error (injected in front of the store for {name})") { HttpStatusCode = HttpStatusCode.ServiceUnavailable };
        }
    }

    public IObjectStore Wrap(IObjectStore inner) => new FaultyObjectStore(inner, this);

    private sealed record Rule(string Prefix, StorageOperationKind[] Operations);

    private sealed class FaultyObjectStore(IObjectStore inner, StoreFaults faults) : IObjectStore
    {
        public Task<StoredObject?> GetAsync(string bucket, string name, long? generation = null, CancellationToken cancellationToken = default)
        {
            faults.Check(name, StorageOperationKind.Get);
            return inner.GetAsync(bucket, name, generation, cancellationToken);
        }

        public Task<StoredObjectInfo?> GetInfoAsync(string bucket, string name, CancellationToken cancellationToken = default)
        {
            faults.Check(name, StorageOperationKind.Get);
            return inner.GetInfoAsync(bucket, name, cancellationToken);
        }

        public Task<StoredObjectInfo> PutAsync(string bucket, string name, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
        {
            faults.Check(name, StorageOperationKind.Put);
            return inner.PutAsync(bucket, name, content, options, cancellationToken);
        }

        public Task<StoredObjectInfo> SetMetadataAsync(string bucket, string name, IReadOnlyDictionary<string, string> metadata, long ifMetagenerationMatch,
            long? ifGenerationMatch = null, CancellationToken cancellationToken = default)
        {
            faults.Check(name, StorageOperationKind.Put);
            return inner.SetMetadataAsync(bucket, name, metadata, ifMetagenerationMatch, ifGenerationMatch, cancellationToken);
        }

        public Task<bool> DeleteAsync(string bucket, string name, long? ifGenerationMatch, CancellationToken cancellationToken = default)
        {
            faults.Check(name, StorageOperationKind.Delete);
            return inner.DeleteAsync(bucket, name, ifGenerationMatch, cancellationToken);
        }

        public Task<ObjectPage> ListAsync(string bucket, string prefix, string? delimiter = null, string? pageToken = null, int? pageSize = null,
            CancellationToken cancellationToken = default) =>
            inner.ListAsync(bucket, prefix, delimiter, pageToken, pageSize, cancellationToken);

        public Task<ObjectPage> ListRangeAsync(string bucket, string prefix, string? startOffset, string? endOffset, string? pageToken = null, int? pageSize = null,
            CancellationToken cancellationToken = default) =>
            inner.ListRangeAsync(bucket, prefix, startOffset, endOffset, pageToken, pageSize, cancellationToken);
    }
}
