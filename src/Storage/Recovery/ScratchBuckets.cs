using System.Net;
using Google;
using Google.Cloud.Storage.V1;
using GcsBucket = Google.Apis.Storage.v1.Data.Bucket;

namespace EccoStudio.Storage.Recovery;

/// <summary>The scratch bucket a DR drill restores into: created versioned when absent.</summary>
public static class ScratchBuckets
{
    /// <summary>True when the bucket was created here, false when it already existed.</summary>
    public static async Task<bool> EnsureAsync(StorageClient client, string project, string bucket, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.GetBucketAsync(bucket, cancellationToken: cancellationToken);
            return false;
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
        }

        try
        {
            await client.CreateBucketAsync(project, new GcsBucket { Name = bucket, Versioning = new GcsBucket.VersioningData { Enabled = true } },
                cancellationToken: cancellationToken);
            return true;
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.Conflict)
        {
            return false; // created by a concurrent drill run with the same name
        }
    }
}
