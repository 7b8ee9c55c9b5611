using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Routing;

/// <summary>Results written the same way by both hosts (JSON bodies with headers).</summary>
public static class ApiResults
{
    public static IResult Json(int status, JsonNode? body, params (string Name, string Value)[] headers) =>
        new JsonNodeResult(status, body, headers);

    public static IResult Status(int status, params (string Name, string Value)[] headers) =>
        new JsonNodeResult(status, null, headers);

    private sealed class JsonNodeResult(int status, JsonNode? body, (string Name, string Value)[] headers) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                response.Headers[name] = value;
            }

            if (body is not null)
            {
                // Content-Length on GET and HEAD alike, so HEAD answers exactly GET's headers without the body.
                var bytes = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
                response.ContentType = "application/json; charset=utf-8";
                response.ContentLength = bytes.Length;
                if (!HttpMethods.IsHead(httpContext.Request.Method))
                {
                    await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
                }
            }
        }
    }
}
