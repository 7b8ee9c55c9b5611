using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Console;

/// <summary>
/// The ops console's static files (HTML, JavaScript, CSS), embedded in this assembly so both hosts serve the same
/// bytes with no CDN and no file system: the local host at <c>/ops</c>, the Functions app through an HTTP trigger.
/// </summary>
public static class ConsoleAssets
{
    private const string Prefix = "EccoStudio.Api.Console.wwwroot.";

    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    /// <summary>The asset for a path below the console root ("" = index.html), or null.</summary>
    public static IResult Serve(string? path)
    {
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!Files.TryGetValue(name, out var file))
        {
            return Results.NotFound();
        }

        return new AssetResult(file.Bytes, file.ContentType);
    }

    public static IReadOnlyCollection<string> Names => Files.Keys;

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[Prefix.Length..];
            files[name] = (buffer.ToArray(), ContentType(name));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    /// <summary>Static bytes with a strict content security policy: the console loads only its own files.</summary>
    private sealed class AssetResult(byte[] bytes, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = contentType;
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Content-Type-Options"] = "nosniff";
            response.Headers["Content-Security-Policy"] =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
            // Content-Length on GET and HEAD alike, so HEAD answers GET's headers without the body (docs/api.md).
            response.ContentLength = bytes.Length;
            return HttpMethods.IsHead(httpContext.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(bytes).AsTask();
        }
    }
}
