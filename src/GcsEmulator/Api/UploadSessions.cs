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
    public DateTimeOffset LastTouched { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>Open resumable upload sessions by id.</summary>
public sealed class UploadSessions
{
    private static readonly TimeSpan Expiry = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new(StringComparer.Ordinal);
    private int _created;

    public UploadSession Create(string bucket, ObjectWrite write, Preconditions preconditions)
    {
        if (Interlocked.Increment(ref _created) % 1024 == 0)
        {
            Sweep();
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var session = new UploadSession(id, bucket, write, preconditions);
        _sessions[id] = session;
        return session;
    }

    public UploadSession? Find(string? id)
    {
        if (id is not null && _sessions.TryGetValue(id, out var s))
        {
            s.LastTouched = DateTimeOffset.UtcNow;
            return s;
        }

        return null;
    }

    /// <summary>Forgets sessions untouched for an hour (GCS keeps them a week; an emulator need not).</summary>
    private void Sweep()
    {
        var cutoff = DateTimeOffset.UtcNow - Expiry;
        foreach (var (id, session) in _sessions)
        {
            if (session.LastTouched < cutoff)
            {
                Remove(id);
            }
        }
    }

    public void Remove(string id)
    {
        if (_sessions.TryRemove(id, out var s))
        {
            s.Received.Dispose();
        }
    }

    public void Clear() => _sessions.Clear();
}
