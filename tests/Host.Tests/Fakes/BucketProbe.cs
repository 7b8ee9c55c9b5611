using System.Net;
using System.Text;
using Google;
using Google.Cloud.Storage.V1;

namespace EccoStudio.Host.Tests.Fakes;

/// <summary>Reads and polls objects of the dev host's bucket with the Google client.</summary>
public sealed class BucketProbe(StorageClient storage, string bucket)
{
    public async Task<string?> TryReadAsync(string name)
    {
        try
        {
            using var stream = new MemoryStream();
            await storage.DownloadObjectAsync(bucket, name, stream);
            return Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var o in storage.ListObjectsAsync(bucket, prefix))
        {
            names.Add(o.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task UploadAsync(string name, string json) =>
        await storage.UploadObjectAsync(bucket, name, "application/json", new MemoryStream(Encoding.UTF8.GetBytes(json)));

    /// <summary>Polls <paramref name="condition"/> until it holds or the (generous) deadline passes; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(200);
        }
    }
}
