using System.Net;
using System.Text.Json.Nodes;
using EccoStudio.Testing;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>Routes gcloud touches besides objects and buckets, and the admin reset.</summary>
public sealed class AuxiliaryRoutesTests(GcsEmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task StorageLayoutManagedFoldersIam_AnswerForExistingBucket_404Otherwise()
    {
        var bucket = await NewBucketAsync();
        Assert.False((bool)(await GetJsonAsync($"storage/v1/b/{bucket}/storageLayout"))["hierarchicalNamespace"]!["enabled"]!);
        Assert.Empty((JsonArray)(await GetJsonAsync($"storage/v1/b/{bucket}/managedFolders"))["items"]!);
        Assert.Equal("storage#policy", (string?)(await GetJsonAsync($"storage/v1/b/{bucket}/iam"))["kind"]);
        var granted = (JsonArray)(await GetJsonAsync($"storage/v1/b/{bucket}/iam/testPermissions?permissions=storage.objects.get&permissions=storage.objects.create"))["permissions"]!;
        Assert.Equal(["storage.objects.get", "storage.objects.create"], granted.Select(p => (string?)p));

        using var missing = await Http.GetAsync(new Uri("storage/v1/b/no-such-layout-bucket/storageLayout", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Reset_InMemory_DropsEverything()
    {
        await using var server = await GcsEmulatorServer.StartAsync(new GcsEmulatorOptions { Port = 0, PubSubEmulatorHost = string.Empty });
        using var client = GcsEmulatorFixture.CreateClient(server);
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        await client.CreateBucketAsync("ecco-local", "reset-me");
        await client.UploadObjectAsync("reset-me", "o", null, new MemoryStream([1]));

        using var reset = await http.PostAsync(new Uri("_emulator/reset", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(await client.ListBucketsAsync("ecco-local").ToListAsync());
        await client.CreateBucketAsync("ecco-local", "reset-me");
        Assert.Empty(await client.ListObjectsAsync("reset-me").ToListAsync());
    }
}
