using System.Net;
using System.Text.Json.Nodes;

namespace EccoStudio.GcsEmulator.Tests;

/// <summary>An HTTP handler standing in for Pub/Sub: answers from a script of status codes, records what it got.</summary>
internal sealed class NotificationFakePubSub(params HttpStatusCode[] script) : HttpMessageHandler
{
    private readonly Queue<HttpStatusCode> _script = new(script);

    public List<(string Path, JsonObject Body)> Requests { get; } = [];

    /// <summary>When set, the next request throws it (once).</summary>
    public Exception? ThrowOnce { get; set; }

    /// <summary>When set, requests wait for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (ThrowOnce is { } error)
        {
            ThrowOnce = null;
            throw error;
        }

        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
        HttpStatusCode status;
        lock (Requests)
        {
            Requests.Add((request.RequestUri!.AbsolutePath, body));
            status = _script.Count > 0 ? _script.Dequeue() : HttpStatusCode.OK;
        }

        return new HttpResponseMessage(status) { Content = new StringContent("{\"messageIds\":[\"1\"]}") };
    }
}
