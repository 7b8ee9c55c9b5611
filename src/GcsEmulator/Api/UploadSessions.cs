using System.Collections.Concurrent;
using System.Security.Cryptography;
using EccoStudio.GcsEmulator.Model;

namespace EccoStudio.GcsEmulator.Api;

/// <summary>One resumable upload: what has been received so far, and the object once finalized.</summary>
public sealed class UploadSession(string id, string bucket, ObjectWrite write, Preconditions preconditions)
{
    public string Id { get; } = id;
    public string Bucket { get; } = bucket;
    public ObjectWrite Write { get; } = write;
    public Preconditions Preconditions { get; } = preconditions;
    public Lock Sync { get; } = new();
    public MemoryStream Received { get; } = new();
    public ObjectMeta? Result { get; set; }
}

/// <summary>Open resumable upload sessions by id.</summary>
public sealed class UploadSessions
{
    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new(StringComparer.Ordinal);

    public UploadSession Create(string bucket, ObjectWrite write, Preconditions preconditions)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var session = new UploadSession(id, bucket, write, preconditions);
        _sessions[id] = session;
        return session;
    }

    public UploadSession? Find(string? id) => id is not null && _sessions.TryGetValue(id, out var s) ? s : null;

    public void Remove(string id)
    {
        if (_sessions.TryRemove(id, out var s))
        {
            s.Received.Dispose();
        }
    }

    public void Clear() => _sessions.Clear();
}
