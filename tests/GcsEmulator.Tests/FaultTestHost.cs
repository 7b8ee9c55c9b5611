using EccoStudio.GcsEmulator.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>
/// A minimal Kestrel app wired like the emulator (injector first, admin endpoints mapped) whose every other request
/// answers 200 "ok": exercises the injector on real HTTP without depending on the storage core.
/// </summary>
internal sealed class FaultTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FaultTestHost(WebApplication app, FaultInjector injector, Uri baseUri)
    {
        _app = app;
        Injector = injector;
        BaseUri = baseUri;
        Client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public FaultInjector Injector { get; }

    public Uri BaseUri { get; }

    public HttpClient Client { get; }

    public static async Task<FaultTestHost> StartAsync(FaultSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var injector = new FaultInjector(settings);
        app.Use(async (context, next) =>
        {
            if (!await injector.TryInjectAsync(context))
            {
                await next(context);
            }
        });
        injector.MapAdminEndpoints(app);
        app.MapFallback(() => Results.Text("ok"));
        await app.StartAsync();
        var address = app.Urls.First();
        return new FaultTestHost(app, injector, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
