using System.Runtime.CompilerServices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Store;

namespace EccoStudio.Storage.Recovery;

/// <summary>
/// Plans a restore to time T from object versions, one step per object name in the scope. Streams: versions are
/// listed a page at a time (ordered by name, then generation) and folded per name into two generations (the one live
/// at T and the one live now), so memory is one page plus one name whatever the number of objects or versions.
/// A generation was live at T when it was created at or before T and became noncurrent (GCS <c>timeDeleted</c>)
/// after T or not at all.
/// </summary>
public sealed class RestorePlanner(IObjectVersions versions, int pageSize = 1000)
{
    /// <summary>Most object versions one planner held at once (one page; the bound the memory figure rests on).</summary>
    public int PeakVersionsHeld { get; private set; }

    public async IAsyncEnumerable<RestoreStep> PlanAsync(string bucket, RestoreScope scope, DateTimeOffset asOf,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var prefix in scope.Prefixes)
        {
            string? name = null;
            StoredObjectInfo? atAsOf = null;
            StoredObjectInfo? live = null;
            string? token = null;
            do
            {
                var page = await versions.ListVersionsAsync(bucket, prefix, token, pageSize, cancellationToken);
                PeakVersionsHeld = Math.Max(PeakVersionsHeld, page.Objects.Count);
                foreach (var version in page.Objects)
                {
                    if (version.Name != name)
                    {
                        if (name is not null && Decide(scope, name, atAsOf, live) is { } step)
                        {
                            yield return step;
                        }

                        (name, atAsOf, live) = (version.Name, null, null);
                    }

                    if (WasLiveAt(version, asOf))
                    {
                        atAsOf = version;
                    }

                    if (version.Deleted is null)
                    {
                        live = version;
                    }
                }

                token = page.NextPageToken;
            }
            while (token is not null);

            if (name is not null && Decide(scope, name, atAsOf, live) is { } last)
            {
                yield return last;
            }
        }
    }

    public static bool WasLiveAt(StoredObjectInfo version, DateTimeOffset asOf) =>
        version.Created is { } created && created <= asOf && (version.Deleted is null || version.Deleted > asOf);

    /// <summary>The step for one name; null when it is outside the scope or absent both at T and now.</summary>
    public static RestoreStep? Decide(RestoreScope scope, string name, StoredObjectInfo? atAsOf, StoredObjectInfo? live)
    {
        if (ObjectNameParser.TryParse(name) is not { } parsed || !scope.Includes(parsed))
        {
            return null;
        }

        var action = (atAsOf, live) switch
        {
            (null, null) => (RestoreAction?)null,
            (null, _) => RestoreAction.Remove,
            (_, null) => RestoreAction.BringBack,
            _ when atAsOf.Generation == live.Generation || atAsOf.SameContentAs(live) => RestoreAction.Keep,
            _ => RestoreAction.Revert,
        };
        return action is { } a ? new RestoreStep(parsed, a, atAsOf, live) : null;
    }
}
