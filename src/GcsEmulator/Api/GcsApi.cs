using System.Text.Json;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Store;
using Microsoft.Extensions.Logging;

namespace EccoStudio.GcsEmulator.Api;

/// <summary>
/// Routes JSON API v1 requests by raw path segments (object names arrive percent-encoded and may contain %2F)
/// and turns every failure into a GCS error body.
/// </summary>
public sealed partial class GcsApi(GcsStore store, UploadSessions sessions, ILogger<GcsApi> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await ApplyMethodOverrideAsync(context);
            await RouteAsync(context, GcsRequest.Segments(context));
        }
        catch (GcsException e)
        {
            await GcsResponses.ErrorAsync(context, e);
        }
        catch (BadHttpRequestException e)
        {
            await GcsResponses.ErrorAsync(context, e.StatusCode, "invalid", e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            context.Abort();
        }
        catch (IOException e)
        {
            await GcsResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid", e.Message);
        }
        catch (InvalidDataException e)
        {
            await GcsResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid", e.Message);
        }
        catch (JsonException e)
        {
            await GcsResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "parseError", e.Message);
        }
        catch (Exception e)
        {
            LogUnhandled(logger, e, context.Request.Method, context.Request.Path);
            await GcsResponses.ErrorAsync(context, StatusCodes.Status500InternalServerError, "backendError", e.Message);
        }
    }

    private Task RouteAsync(HttpContext context, string[] s)
    {
        var method = context.Request.Method;
        if (s.Length >= 4 && s[0] == "resumable" && s[1] == "upload")
        {
            // gcloud starts resumable uploads on /resumable/upload/storage/v1/...
            s = s[1..];
        }

        if (s.Length >= 3 && s[1] == "storage" && s[2] == "v1" && s[0] is "upload" or "download")
        {
            var rest = s[3..];
            if (s[0] == "upload" && rest.Length == 3 && rest[0] == "b" && rest[2] == "o")
            {
                return method switch
                {
                    "POST" => UploadAsync(context, rest[1]),
                    "PUT" => ResumableChunkAsync(context, rest[1]),
                    "DELETE" => CancelUploadAsync(context),
                    _ => NotAllowed(),
                };
            }

            if (s[0] == "download" && rest.Length >= 4 && rest[0] == "b" && rest[2] == "o" && method is "GET" or "HEAD")
            {
                return DownloadAsync(context, rest[1], string.Join('/', rest[3..]));
            }

            throw GcsException.NotFound($"Not Found: {context.Request.Path}");
        }

        if (s.Length >= 3 && s[0] == "storage" && s[1] == "v1" && s[2] == "b")
        {
            return RouteStorageAsync(context, method, s[3..]);
        }

        if (s.Length >= 1 && s[0] == "b")
        {
            // Clients given an emulator host drop the /storage/v1 prefix (Node's @google-cloud/storage uses
            // STORAGE_EMULATOR_HOST as its base URL as is). "b" cannot be a bucket name (3+ characters), so this
            // never shadows an XML-style path.
            return RouteStorageAsync(context, method, s[1..]);
        }

        // XML-style media path: /{bucket}/{object}
        if (s.Length >= 2 && method is "GET" or "HEAD" && s[0].Length > 0 && s[1].Length > 0)
        {
            return DownloadAsync(context, s[0], string.Join('/', s[1..]));
        }

        throw GcsException.NotFound($"Not Found: {context.Request.Path}");
    }

    private Task RouteStorageAsync(HttpContext context, string method, string[] r)
    {
        if (r.Length == 0 || (r.Length == 1 && r[0].Length == 0))
        {
            return method switch
            {
                "GET" => ListBucketsAsync(context),
                "POST" => InsertBucketAsync(context),
                _ => NotAllowed(),
            };
        }

        var bucket = r[0];
        if (r.Length == 1)
        {
            return method switch
            {
                "GET" => GetBucketAsync(context, bucket),
                "PATCH" => UpdateBucketAsync(context, bucket, replace: false),
                "PUT" => UpdateBucketAsync(context, bucket, replace: true),
                "DELETE" => DeleteBucketAsync(context, bucket),
                _ => NotAllowed(),
            };
        }

        if (r.Length == 2 && r[1] == "storageLayout" && method == "GET")
        {
            return StorageLayoutAsync(context, bucket);
        }

        if (r.Length == 2 && r[1] == "iam")
        {
            return method switch
            {
                "GET" => GetIamPolicyAsync(context, bucket),
                "PUT" => SetIamPolicyAsync(context, bucket),
                _ => NotAllowed(),
            };
        }

        if (r.Length == 2 && method == "GET" && r[1] is "managedFolders" or "folders")
        {
            return EmptyListAsync(context, bucket, "storage#" + r[1]);
        }

        if (r.Length == 3 && method == "GET" && r[1] == "iam" && r[2] == "testPermissions")
        {
            return TestPermissionsAsync(context, bucket);
        }

        if (r[1] == "notificationConfigs")
        {
            return (r.Length, method) switch
            {
                (2, "GET") => ListNotificationsAsync(context, bucket),
                (2, "POST") => InsertNotificationAsync(context, bucket),
                (3, "GET") => GetNotificationAsync(context, bucket, r[2]),
                (3, "DELETE") => DeleteNotificationAsync(context, bucket, r[2]),
                _ => NotAllowed(),
            };
        }

        if (r[1] != "o")
        {
            throw GcsException.NotFound($"Not Found: {context.Request.Path}");
        }

        if (r.Length == 2)
        {
            return method switch
            {
                "GET" => ListObjectsAsync(context, bucket),
                "POST" => UploadAsync(context, bucket),
                _ => NotAllowed(),
            };
        }

        var o = r[2..];
        if (o.Length >= 5 && o[^4] == "b" && o[^2] == "o" && o[^5] is "copyTo" or "rewriteTo" && method == "POST")
        {
            return CopyAsync(context, bucket, string.Join('/', o[..^5]), o[^3], o[^1], rewrite: o[^5] == "rewriteTo");
        }

        if (o.Length >= 2 && o[^1] == "compose" && method == "POST")
        {
            return ComposeAsync(context, bucket, string.Join('/', o[..^1]));
        }

        var name = string.Join('/', o);
        return method switch
        {
            "GET" or "HEAD" => GetObjectAsync(context, bucket, name),
            "PATCH" => UpdateObjectAsync(context, bucket, name, replace: false),
            "PUT" => UpdateObjectAsync(context, bucket, name, replace: true),
            "DELETE" => DeleteObjectAsync(context, bucket, name),
            _ => NotAllowed(),
        };
    }

    /// <summary>
    /// Google clients send a request whose URL would exceed 2048 characters as POST with
    /// X-HTTP-Method-Override: the real method, and the query string moved into a form-encoded body.
    /// </summary>
    private static async Task ApplyMethodOverrideAsync(HttpContext context)
    {
        var request = context.Request;
        var method = request.Headers["X-HTTP-Method-Override"].FirstOrDefault();
        if (string.IsNullOrEmpty(method) || !HttpMethods.IsPost(request.Method))
        {
            return;
        }

        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            var merged = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(StringComparer.Ordinal);
            foreach (var (key, value) in request.Query)
            {
                merged[key] = value;
            }

            foreach (var (key, value) in form)
            {
                merged[key] = value;
            }

            request.Query = new QueryCollection(merged);
        }

        request.Method = method.ToUpperInvariant();
    }

    private static Task NotAllowed() => throw new GcsException(StatusCodes.Status405MethodNotAllowed, "methodNotAllowed", "Method not allowed.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception error, string method, PathString path);
}
