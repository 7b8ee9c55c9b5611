namespace EccoStudio.Storage.Store;

/// <summary>Listing helpers over <see cref="IObjectStore.ListAsync"/>.</summary>
public static class ObjectStoreExtensions
{
    /// <summary>Every object under <paramref name="prefix"/>, following page tokens.</summary>
    public static async Task<IReadOnlyList<StoredObjectInfo>> ListAllAsync(this IObjectStore store, string bucket, string prefix, CancellationToken cancellationToken = default)
    {
        var all = new List<StoredObjectInfo>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(bucket, prefix, null, token, 1000, cancellationToken);
            all.AddRange(page.Objects);
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }

    /// <summary>Every live object under <paramref name="prefix"/> named in [<paramref name="startOffset"/>, <paramref name="endOffset"/>), following page tokens.</summary>
    public static async Task<IReadOnlyList<StoredObjectInfo>> ListAllAsync(this IObjectStore store, string bucket, string prefix, string? startOffset, string? endOffset,
        CancellationToken cancellationToken = default)
    {
        var all = new List<StoredObjectInfo>();
        string? token = null;
        do
        {
            var page = await store.ListRangeAsync(bucket, prefix, startOffset, endOffset, token, 1000, cancellationToken);
            all.AddRange(page.Objects);
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }
}
