using System.Net;
using System.Net.Sockets;
using System.Text;
using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.Rules;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Rules;
using EccoStudio.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EccoStudio.Activities.Tests;

/// <summary>
/// Send-time protection with the real handler and real sockets: a destination that passed the write-time checks but
/// resolves to a forbidden address is never dialled; redirects are not followed; a huge response body is not read.
/// </summary>
public sealed class WebhookHttpHandlerTests(GcsEmulatorFixture emulator) : IClassFixture<GcsEmulatorFixture>
{
    private const string Secret = "T0SECRET/B0SECRET/xoxbPlantedWebhookSecret";

    /// <summary>A raw TCP server on loopback: counts connections, reads one request, answers with <see cref="Answer"/>.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _connections;

        public RawServer(Func<NetworkStream, Task> answer)
        {
            Answer = answer;
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public Func<NetworkStream, Task> Answer { get; }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public long BodyBytesWritten;

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Interlocked.Increment(ref _connections);
                using (client)
                {
                    var stream = client.GetStream();
                    try
                    {
                        await ReadRequestAsync(stream);
                        await Answer(stream);
                    }
                    catch (IOException)
                    {
                        // the client went away (expected for the huge body)
                    }
                }
            }
        }

        private static async Task ReadRequestAsync(NetworkStream stream)
        {
            var buffer = new byte[64 * 1024];
            var text = new StringBuilder();
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var head = text.ToString();
                var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                {
                    continue;
                }

                var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
                    ? int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
                    : 0;
                if (head.Length - end - 4 >= length)
                {
                    return;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
        }
    }

    private sealed class Factory(WebhookCatalog catalog, WebhookHttpHandler.Resolver? resolver) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(WebhookHttpHandler.Create(catalog, Options, resolver), disposeHandler: true);
    }

    private static readonly AlertDeliveryOptions Options = new() { MaxPostAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(20) };

    private async Task<(DeliverAlertOutput Result, string Record)> DeliverAsync(WebhookCatalog catalog, WebhookHttpHandler.Resolver? resolver, string key)
    {
        var storage = (await Buckets.NewContextAsync(emulator)) with { Webhooks = catalog };
        var activity = new DeliverAlertActivity(storage, new Factory(catalog, resolver), Options, NullLogger<DeliverAlertActivity>.Instance);
        var alert = new AlertMessage("RULE-1", "V1", "slack", "ops-hook", """{"text":"hi"}""", key);
        var result = await activity.RunAsync(new FakeActivityContext(nameof(DeliverAlertActivity), "o"), new DeliverAlertInput("dev", alert, "o", DateTimeOffset.UnixEpoch));
        var record = (await storage.Store.GetAsync(storage.Bucket("dev"), ObjectPaths.Log("dev", $"alerts/{key}.json")))!;
        return (result, Encoding.UTF8.GetString(record.Content.Span));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task RunAsync_AllowedHostResolvesToLoopback_RefusedAtConnectNothingDialled(string resolvedTo)
    {
        await using var server = new RawServer(s => s.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray()).AsTask());
        var catalog = new WebhookCatalog(new WebhookOptions
        {
            AllowedHosts = ["hooks.rebind.test"],
            Webhooks = { ["ops-hook"] = $"https://hooks.rebind.test:{server.Port}/services/{Secret}" },
        });

        // The name passes every write-time check; its DNS answer (a rebinding attacker's) points at this machine.
        var (result, record) = await DeliverAsync(catalog, (_, _) => Task.FromResult(new[] { IPAddress.Parse(resolvedTo) }), "rebind-" + resolvedTo.Replace(':', '_'));

        Assert.Equal(AlertDeliveryState.Rejected, result.State);
        Assert.Equal(0, server.Connections);
        Assert.Contains("non-public", result.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, record, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.LastError!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AllowedHostResolvesToMetadataAndPrivate_Refused()
    {
        var catalog = new WebhookCatalog(new WebhookOptions
        {
            AllowedHosts = ["hooks.rebind.test"],
            Webhooks = { ["ops-hook"] = $"https://hooks.rebind.test/services/{Secret}" },
        });
        var (result, _) = await DeliverAsync(catalog,
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254"), IPAddress.Parse("10.0.0.7"), IPAddress.Parse("100.64.0.1"), IPAddress.Parse("fd00::1") }),
            "metadata");
        Assert.Equal(AlertDeliveryState.Rejected, result.State);
    }

    [Fact]
    public async Task RunAsync_ReceiverRedirects_NotFollowedAndRejected()
    {
        await using var target = new RawServer(s => s.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray()).AsTask());
        await using var redirecting = new RawServer(s => s.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{target.Port}/stolen\r\nContent-Length: 0\r\n\r\n")).AsTask());
        var catalog = new WebhookCatalog(new WebhookOptions
        {
            AllowLoopbackHttp = true,
            Webhooks = { ["ops-hook"] = $"http://127.0.0.1:{redirecting.Port}/hook" },
        });

        var (result, _) = await DeliverAsync(catalog, null, "redirect");

        Assert.Equal(AlertDeliveryState.Rejected, result.State);
        Assert.Equal("HTTP 307 (redirects are not followed)", result.LastError);
        Assert.Equal(1, redirecting.Connections);
        Assert.Equal(0, target.Connections);
    }

    [Fact]
    public async Task RunAsync_ReceiverSendsHugeBody_DeliveredWithoutReadingIt()
    {
        const long Huge = 256L * 1024 * 1024;
        RawServer? server = null;
        server = new RawServer(async s =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Huge}\r\n\r\n"));
            var chunk = new byte[64 * 1024];
            while (Interlocked.Read(ref server!.BodyBytesWritten) < Huge)
            {
                await s.WriteAsync(chunk);
                Interlocked.Add(ref server.BodyBytesWritten, chunk.Length);
            }
        });
        await using var _ = server;
        var catalog = new WebhookCatalog(new WebhookOptions { AllowLoopbackHttp = true, Webhooks = { ["ops-hook"] = $"http://127.0.0.1:{server.Port}/hook" } });

        var (result, record) = await DeliverAsync(catalog, null, "huge");

        Assert.Equal(AlertDeliveryState.Delivered, result.State);
        Assert.Equal("delivered", JsonText.ParseObject(record)["state"]!.GetValue<string>());
        await server.DisposeAsync();
        // The client stopped at the headers: the server could push only what the socket buffers held.
        Assert.True(Interlocked.Read(ref server.BodyBytesWritten) < Huge / 4, $"{server.BodyBytesWritten} body bytes were taken");
    }
}
