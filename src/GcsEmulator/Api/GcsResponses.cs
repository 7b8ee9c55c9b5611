using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Errors;

namespace EccoStudio.GcsEmulator.Api;

/// <summary>Writes JSON resources and GCS-shaped error bodies.</summary>
public static class GcsResponses
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static async Task JsonAsync(HttpContext context, JsonNode body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Options);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    public static Task NoContent(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    public static Task ErrorAsync(HttpContext context, GcsException error) => ErrorAsync(context, error.StatusCode, error.Reason, error.Message);

    public static async Task ErrorAsync(HttpContext context, int status, string reason, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        if (status == StatusCodes.Status304NotModified)
        {
            context.Response.StatusCode = status;
            return;
        }

        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status,
                ["message"] = message,
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["message"] = message,
                    ["domain"] = "global",
                    ["reason"] = reason,
                }),
            },
        };
        await JsonAsync(context, body, status);
    }
}
