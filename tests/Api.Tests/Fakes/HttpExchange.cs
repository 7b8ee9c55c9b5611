using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Api.Problems;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Tests.Fakes;

/// <summary>
/// Runs a shared handler against a <see cref="DefaultHttpContext"/> the way both hosts do: the result is executed,
/// an exception goes through <see cref="ProblemMapper"/>. Returns what a client would see.
/// </summary>
public static class HttpExchange
{
    public static DefaultHttpContext Request(string method, string path, string? body = null, string? contentType = "application/json",
        params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 7071);
        var query = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? path : path[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    public static async Task<Response> RunAsync(HttpContext context, Func<Task<IResult>> handler)
    {
        try
        {
            var result = await handler();
            await result.ExecuteAsync(context);
        }
        catch (Exception e)
        {
            await ProblemMapper.WriteAsync(context, e);
        }

        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new Response(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers,
            text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public sealed record Response(int Status, string? ContentType, IHeaderDictionary Headers, JsonNode? Body)
    {
        /// <summary>Asserts an RFC 9457 problem document with this status and type slug.</summary>
        public JsonObject AssertProblem(int status, string slug)
        {
            Assert.Equal(status, Status);
            Assert.Equal(Problem.ContentType, ContentType);
            var problem = Assert.IsType<JsonObject>(Body);
            Assert.Equal(status, problem["status"]!.GetValue<int>());
            Assert.Equal(Problem.TypePrefix + slug, problem["type"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
            return problem;
        }
    }
}
