using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Api;
using EccoStudio.Api.Tests.Fakes;
using EccoStudio.Api.Writes;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Schemas;
using EccoStudio.Testing;
using EccoStudio.Triggers.Middleware;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Triggers.Tests.Fakes;

/// <summary>
/// The Functions app's services (the shared composition root, as Program.cs registers it) over a test bucket, with a
/// recording scheduler; runs a trigger method behind <see cref="ProblemDetailsMiddleware"/> as the worker would.
/// </summary>
public sealed class TriggerHarness : IAsyncDisposable
{
    private TriggerHarness(ServiceProvider services, RecordingScheduler scheduler)
    {
        Services = services;
        Scheduler = scheduler;
    }

    public ServiceProvider Services { get; }

    public RecordingScheduler Scheduler { get; }

    public static TriggerHarness Create(GcsEmulatorFixture gcs, string bucket, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ecco:Storage:Bucket"] = bucket,
            ["Ecco:Storage:EmulatorHost"] = gcs.Server.BaseUri.ToString(),
            ["Ecco:Storage:SchemaSource"] = "folder",
            ["Ecco:Storage:SchemasFolder"] = FolderSchemaSource.FindRepoSchemas(),
            ["Ecco:Api:ServedEnvironments"] = "dev",
            ["Ecco:PubSub:VerifyToken"] = "false",
        }).AddInMemoryCollection(settings ?? []).Build();
        var scheduler = new RecordingScheduler();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEccoStorage(configuration);
        services.AddEccoStudio(configuration);
        services.Replace(ServiceDescriptor.Singleton<IEntityWorkScheduler>(scheduler));
        return new TriggerHarness(services.BuildServiceProvider(), scheduler);
    }

    public static DefaultHttpContext Request(string method, string path, string? body, string? contentType = "application/json",
        params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 7071);
        context.Request.Path = path;
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

    /// <summary>Invokes <paramref name="trigger"/> through the problem-details middleware; returns what the caller sees.</summary>
    public async Task<Response> InvokeAsync(string functionName, HttpContext http, Func<Task<IResult>> trigger)
    {
        var context = new FakeFunctionContext(functionName, Services, http);
        var middleware = new ProblemDetailsMiddleware(NullLogger<ProblemDetailsMiddleware>.Instance);
        await middleware.Invoke(context, async _ =>
        {
            var result = await trigger();
            await result.ExecuteAsync(http);
        });
        return await Response.ReadAsync(http);
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();

    public sealed record Response(int Status, string? ContentType, IHeaderDictionary Headers, string Text)
    {
        public JsonNode? Json => Text.Length == 0 ? null : JsonNode.Parse(Text);

        public static async Task<Response> ReadAsync(HttpContext http)
        {
            http.Response.Body.Position = 0;
            var text = await new StreamReader(http.Response.Body).ReadToEndAsync();
            return new Response(http.Response.StatusCode, http.Response.ContentType, http.Response.Headers, text);
        }
    }
}
