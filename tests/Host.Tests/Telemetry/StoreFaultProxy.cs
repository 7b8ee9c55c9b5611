using System.Net;
using System.Reflection;
using EccoStudio.Storage.Store;
using Google;

namespace EccoStudio.Host.Tests.Telemetry;

/// <summary>
/// Fails the next N puts whose object name contains a fragment, in front of the real store (the emulator's prefix
/// rules cannot see multipart uploads, whose name is only in the body). Transient = a GCS 503 the step retries;
/// otherwise an argument error, which fails the step at once (a 412 would be absorbed by the writers' CAS loops).
/// </summary>
public class StoreFaultProxy : DispatchProxy
{
    private IObjectStore _inner = null!;
    private Func<string, bool>? _match;
    private int _remaining;
    private bool _transient;

    public static (IObjectStore Store, StoreFaultProxy Faults) Wrap(IObjectStore inner)
    {
        var store = Create<IObjectStore, StoreFaultProxy>();
        var proxy = (StoreFaultProxy)(object)store;
        proxy._inner = inner;
        return (store, proxy);
    }

    /// <summary>Fails the next <paramref name="count"/> puts of objects whose name ends with <paramref name="suffix"/> (and contains <paramref name="folder"/>).</summary>
    public void FailPuts(string folder, string suffix, int count, bool transient)
    {
        _transient = transient;
        _match = name => name.Contains(folder, StringComparison.Ordinal) && name.EndsWith(suffix, StringComparison.Ordinal);
        Volatile.Write(ref _remaining, count);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IObjectStore.PutAsync) && args![1] is string name && _match is { } match
            && match(name) && Interlocked.Decrement(ref _remaining) >= 0)
        {
            Exception failure = _transient
                ? new GoogleApiException("storage", "Backend Error (injected)") { HttpStatusCode = HttpStatusCode.ServiceUnavailable }
                : new ArgumentException($"injected: the store refused {name}");
            return Task.FromException<StoredObjectInfo>(failure);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
