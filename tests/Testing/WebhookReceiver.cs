using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace EccoStudio.Testing;

/// <summary>
/// A local webhook (HttpListener on a free loopback port). Records every request (body, Idempotency-Key) and answers
/// with the queued status codes, then 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<(string Key, string Body, int Status)> _requests = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        Port = FreePorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public IReadOnlyList<(string Key, string Body, int Status)> Requests => _requests.ToList();

    public IReadOnlyList<(string Key, string Body, int Status)> Delivered => _requests.Where(r => r.Status == 200).ToList();

    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = _answers.TryDequeue(out var s) ? s : 200;
            _requests.Enqueue((context.Request.Headers["Idempotency-Key"] ?? string.Empty, body, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
