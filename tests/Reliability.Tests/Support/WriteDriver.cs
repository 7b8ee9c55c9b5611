using System.Net;
using System.Text.Json.Nodes;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>One write a client wants done; <see cref="Key"/> is its Idempotency-Key (kept across client retries).</summary>
public sealed record WriteOp(string Id, bool Patch, JsonObject Body, string Key);

/// <summary>The client's view: accepted (202, instance id) or refused (status and problem text), after how many tries.</summary>
public sealed record WriteOutcome(WriteOp Op, int Status, string? InstanceId, string? Problem, int Attempts)
{
    public bool Accepted => Status == 202 && InstanceId is not null;
}

/// <summary>
/// Sends writes like a careful client: on 5xx, 429 or a broken connection it retries the SAME request with the
/// same Idempotency-Key (so a retry can never become a second write), with capped backoff.
/// </summary>
public sealed class WriteDriver(HttpClient http, string env = "dev", string prefix = "ventures", string? apiKey = null)
{
    private long _retries;

    public long ClientRetries => Interlocked.Read(ref _retries);

    public async Task<WriteOutcome> SendAsync(WriteOp op, int maxAttempts = 40, CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        var last = (Status: 0, Problem: (string?)null);
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }

            using var request = new HttpRequestMessage(op.Patch ? HttpMethod.Patch : HttpMethod.Put, $"api/{env}/{prefix}/{Uri.EscapeDataString(op.Id)}")
            {
                Content = LocalHost.Json(op.Body, op.Patch ? "application/merge-patch+json" : "application/json"),
            };
            request.Headers.Add("Idempotency-Key", op.Key);
            if (apiKey is not null)
            {
                request.Headers.Add("x-api-key", apiKey);
            }

            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return new WriteOutcome(op, 202, JsonNode.Parse(text)?["id"]?.GetValue<string>(), null, attempt);
                }

                last = ((int)response.StatusCode, text);
                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    return new WriteOutcome(op, last.Status, null, text, attempt);
                }
            }
            catch (HttpRequestException e)
            {
                last = (0, e.Message);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = (0, e.Message);
            }
        }

        return new WriteOutcome(op, last.Status, null, last.Problem, maxAttempts);
    }
}
