using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EccoStudio.GcsEmulator.Model;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>
/// On-disk persistence under one directory. Every file is written to a temp file, flushed and renamed into
/// place, so a killed process leaves either the old or the new file. Layout:
/// <c>buckets/{bucket}/bucket.json</c>; <c>buckets/{bucket}/objects/{h2}/{sha256(name)}/{generation}.json|.bin</c>
/// (the real name is inside the .json); <c>generation.reserved</c>; <c>tmp/</c>.
/// A generation's .bin is renamed into place before its .json, so a .json always has its bytes.
/// </summary>
public sealed class DiskPersistence : IStorePersistence
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
    private readonly string _root;
    private readonly string _buckets;
    private readonly string _tmp;
    private readonly string _reserved;
    private readonly FileStream _lock;

    public DiskPersistence(string directory)
    {
        _root = Path.GetFullPath(directory);
        _buckets = Path.Combine(_root, "buckets");
        _tmp = Path.Combine(_root, "tmp");
        _reserved = Path.Combine(_root, "generation.reserved");
        CreatePrivateDirectory(_root);
        CreatePrivateDirectory(_buckets);
        try
        {
            // One emulator per directory: the lock is held until Dispose (the OS drops it when the process dies).
            _lock = new FileStream(Path.Combine(_root, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The data directory {_root} is in use by another emulator.", e);
        }

        if (Directory.Exists(_tmp))
        {
            Directory.Delete(_tmp, recursive: true);
        }

        CreatePrivateDirectory(_tmp);
    }

    public PersistedState Load()
    {
        var buckets = new List<BucketMeta>();
        var objects = new List<ObjectMeta>();
        foreach (var dir in Directory.EnumerateDirectories(_buckets))
        {
            var file = Path.Combine(dir, "bucket.json");
            if (!File.Exists(file))
            {
                continue;
            }

            buckets.Add(JsonSerializer.Deserialize<BucketMeta>(File.ReadAllBytes(file), Json)!);
            var objectsDir = Path.Combine(dir, "objects");
            if (!Directory.Exists(objectsDir))
            {
                continue;
            }

            foreach (var meta in Directory.EnumerateFiles(objectsDir, "*.json", SearchOption.AllDirectories))
            {
                objects.Add(JsonSerializer.Deserialize<ObjectMeta>(File.ReadAllBytes(meta), Json)!);
            }
        }

        var floor = File.Exists(_reserved)
            && long.TryParse(File.ReadAllText(_reserved).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r)
            ? r
            : 0;
        return new PersistedState(buckets, objects, floor);
    }

    public StagedBlob Stage(byte[] data)
    {
        var path = Path.Combine(_tmp, Guid.NewGuid().ToString("N") + ".blob");
        WriteFile(path, data);
        return new DiskBlob(data, path);
    }

    public void Commit(StagedBlob blob, ObjectMeta meta)
    {
        var dir = ObjectDir(meta.Bucket, meta.Name);
        CreatePrivateDirectory(dir);
        File.Move(((DiskBlob)blob).TempPath, Path.Combine(dir, Gen(meta) + ".bin"), overwrite: true);
        WriteMeta(meta);
    }

    public void Discard(StagedBlob blob)
    {
        var path = ((DiskBlob)blob).TempPath;
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    public byte[]? ReadBlob(ObjectMeta meta)
    {
        try
        {
            return File.ReadAllBytes(Path.Combine(ObjectDir(meta.Bucket, meta.Name), Gen(meta) + ".bin"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void WriteMeta(ObjectMeta meta) =>
        AtomicWrite(Path.Combine(ObjectDir(meta.Bucket, meta.Name), Gen(meta) + ".json"), JsonSerializer.SerializeToUtf8Bytes(meta, Json));

    public void DeleteGeneration(ObjectMeta meta)
    {
        var dir = ObjectDir(meta.Bucket, meta.Name);
        File.Delete(Path.Combine(dir, Gen(meta) + ".json"));
        File.Delete(Path.Combine(dir, Gen(meta) + ".bin"));
        try
        {
            if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
            {
                Directory.Delete(dir);
            }
        }
        catch (IOException)
        {
            // A concurrent commit of the same name re-created content; the directory stays.
        }
    }

    public void WriteBucket(BucketMeta bucket)
    {
        var dir = Path.Combine(_buckets, bucket.Name);
        CreatePrivateDirectory(dir);
        AtomicWrite(Path.Combine(dir, "bucket.json"), JsonSerializer.SerializeToUtf8Bytes(bucket, Json));
    }

    public void DeleteBucket(string name)
    {
        var dir = Path.Combine(_buckets, name);
        if (!Directory.Exists(dir))
        {
            return;
        }

        // Rename first so a crash never leaves a half-deleted bucket that loads.
        var doomed = Path.Combine(_tmp, "deleted-" + Guid.NewGuid().ToString("N"));
        Directory.Move(dir, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    public void ReserveGenerations(long upTo) =>
        AtomicWrite(_reserved, Encoding.ASCII.GetBytes(upTo.ToString(CultureInfo.InvariantCulture)));

    public void Clear()
    {
        foreach (var dir in Directory.EnumerateDirectories(_buckets))
        {
            var doomed = Path.Combine(_tmp, "deleted-" + Guid.NewGuid().ToString("N"));
            Directory.Move(dir, doomed);
            Directory.Delete(doomed, recursive: true);
        }
    }

    public void Dispose() => _lock.Dispose();

    private string ObjectDir(string bucket, string name)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        return Path.Combine(_buckets, bucket, "objects", hash[..2], hash);
    }

    private static string Gen(ObjectMeta meta) => meta.Generation.ToString(CultureInfo.InvariantCulture);

    private void AtomicWrite(string path, byte[] bytes)
    {
        var temp = Path.Combine(_tmp, Guid.NewGuid().ToString("N") + ".tmp");
        WriteFile(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Object data may be anyone's personal data: owner-only (0700), like <see cref="WriteFile"/>'s 0600.</summary>
    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WriteFile(string path, byte[] bytes)
    {
        // 0600 on Unix: data files are readable by their owner only, whatever the umask.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(bytes);
        stream.Flush();
    }

    private sealed class DiskBlob(byte[] data, string tempPath) : StagedBlob(data)
    {
        public string TempPath { get; } = tempPath;
    }
}
