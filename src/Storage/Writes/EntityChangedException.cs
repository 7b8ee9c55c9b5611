using System.Globalization;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Storage.Writes;

/// <summary>An <c>If-Match</c> precondition failed: the snapshot's generation is not the one the caller saw.</summary>
public sealed class EntityChangedException : StorageModelException
{
    public EntityChangedException(EntityTarget target, long expected, long? actual)
        : base($"{target} is at generation {(actual is { } a ? a.ToString(CultureInfo.InvariantCulture) : "none")}, not {expected.ToString(CultureInfo.InvariantCulture)} (If-Match).")
    {
        Expected = expected;
        Actual = actual;
    }

    public EntityChangedException()
    {
    }

    public EntityChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long Expected { get; }

    public long? Actual { get; }
}
