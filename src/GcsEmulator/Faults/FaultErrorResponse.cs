using System.Text.Json.Nodes;

namespace EccoStudio.GcsEmulator.Faults;

/// <summary>Writes GCS JSON API error bodies for injected faults and admin-endpoint errors.</summary>
public static class FaultErrorResponse
{
    public const string BackendError = "backendError";
    public const string RateLimitExceeded = "rateLimitExceeded";
    public const string Invalid = "invalid";

    /// <summary><c>{"error":{"code":C,"message":M,"errors":[{"message":M,"domain":"global","reason":R}]}}</c></summary>
    public static JsonObject Body(int code, string reason, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject
            {
                ["message"] = message,
                ["domain"] = "global",
                ["reason"] = reason,
            }),
        },
    };

    public static async Task WriteAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(Body(code, reason, message).ToJsonString(), context.RequestAborted);
    }
}
