namespace EccoStudio.Orchestrations.Steps;

/// <summary>
/// A ULID from orchestration-deterministic inputs: the 48-bit millisecond time of <c>context.CurrentUtcDateTime</c>
/// and 80 bits of <c>context.NewGuid()</c> (a name-based GUID, the same on every replay).
/// </summary>
public static class DeterministicUlid
{
    public static Ulid Create(DateTime utcNow, Guid random)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = new DateTimeOffset(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xff);
            ms >>= 8;
        }

        Span<byte> g = stackalloc byte[16];
        random.TryWriteBytes(g);
        g[..10].CopyTo(bytes[6..]);
        return new Ulid(bytes);
    }
}
