using System.Net;
using System.Net.Http.Headers;
using Google;
using Google.Cloud.Storage.V1;
using GcsObject = Google.Apis.Storage.v1.Data.Object;

namespace EccoStudio.Storage.Store;

/// <summary>
/// Single-request uploads (JSON API <c>uploadType=multipart</c>: metadata part + media part) for small objects.
/// The client library always uploads resumably (one request to open a session, one to send the bytes); for the
/// spec's small JSON documents that doubles the requests of every put. This sends one request through the
/// client's own authenticated HTTP client, to the upload endpoint beside the client's base URI, as gcloud does for
/// files under 8 MiB. Errors surface as <see cref="GoogleApiException"/> with the HTTP status, like the client's.
/// </summary>
internal sealed class MultipartUploader(StorageClient client)
{
    private readonly Uri _uploadBase = UploadBase(client);

    public async Task<GcsObject> UploadAsync(GcsObject resource, ReadOnlyMemory<byte> payload, long? ifGenerationMatch, long? ifMetagenerationMatch,
        CancellationToken cancellationToken)
    {
        // The name also goes in the query (the JSON API accepts it there) so proxies, logs and the emulator's
        // object-prefix fault rules see which object a request writes without parsing the body.
        var query = "uploadType=multipart&name=" + Uri.EscapeDataString(resource.Name);
        if (ifGenerationMatch is { } generation)
        {
            query += "&ifGenerationMatch=" + generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (ifMetagenerationMatch is { } metageneration)
        {
            query += "&ifMetagenerationMatch=" + metageneration.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var service = client.Service;
        using var body = new MultipartContent("related");
        var metadata = new StringContent(service.Serializer.Serialize(resource));
        metadata.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        body.Add(metadata);
        var media = new ReadOnlyMemoryContent(payload);
        media.Headers.ContentType = MediaTypeHeaderValue.Parse(resource.ContentType ?? "application/octet-stream");
        body.Add(media);

        var uri = new Uri(_uploadBase, $"b/{Uri.EscapeDataString(resource.Bucket)}/o?{query}");
        using var response = await service.HttpClient.PostAsync(uri, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new GoogleApiException(service.Name, $"Upload of {resource.Name} failed with {(int)response.StatusCode}: {Trim(text)}")
            {
                HttpStatusCode = response.StatusCode,
            };
        }

        return service.Serializer.Deserialize<GcsObject>(text)
            ?? throw new GoogleApiException(service.Name, $"Upload of {resource.Name} returned no object resource.") { HttpStatusCode = HttpStatusCode.BadGateway };
    }

    /// <summary><c>{root}/upload/storage/v1/</c> for a client whose base URI is <c>{root}/storage/v1/</c>.</summary>
    internal static Uri UploadBase(StorageClient client)
    {
        var baseUri = client.Service.BaseUri;
        var basePath = client.Service.BasePath;
        var root = baseUri.EndsWith(basePath, StringComparison.Ordinal) ? baseUri[..^basePath.Length] : baseUri;
        return new Uri(root.TrimEnd('/') + "/upload/" + basePath.TrimStart('/'));
    }

    private static string Trim(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
