using System.Text;
using EccoStudio.Testing;
using Google.Cloud.Storage.V1;
using StorageObject = Google.Apis.Storage.v1.Data.Object;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>Shared helpers: a real client, a raw HttpClient on the same emulator, fresh buckets.</summary>
public abstract class EmulatorTestBase(GcsEmulatorFixture fixture) : IClassFixture<GcsEmulatorFixture>, IDisposable
{
    protected GcsEmulatorFixture Fixture { get; } = fixture;

    protected StorageClient Client { get; } = fixture.CreateClient();

    protected HttpClient Http { get; } = new() { BaseAddress = fixture.Server.BaseUri };

    protected async Task<string> NewBucketAsync(bool versioning = false)
    {
        var name = Fixture.NewBucketName();
        await Client.CreateBucketAsync(Fixture.ProjectId, new Google.Apis.Storage.v1.Data.Bucket
        {
            Name = name,
            Versioning = versioning ? new Google.Apis.Storage.v1.Data.Bucket.VersioningData { Enabled = true } : null,
        });
        return name;
    }

    protected Task<StorageObject> PutAsync(string bucket, string name, string content, UploadObjectOptions? options = null) =>
        Client.UploadObjectAsync(bucket, name, "text/plain", new MemoryStream(Encoding.UTF8.GetBytes(content)), options);

    protected async Task<string> ReadAsync(string bucket, string name, DownloadObjectOptions? options = null)
    {
        using var buffer = new MemoryStream();
        await Client.DownloadObjectAsync(bucket, name, buffer, options);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    protected static string Escape(string name) => Uri.EscapeDataString(name);

    public void Dispose()
    {
        Http.Dispose();
        Client.Dispose();
        GC.SuppressFinalize(this);
    }
}
