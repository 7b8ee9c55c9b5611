using System.Text;
using System.Text.Json.Nodes;

namespace EccoStudio.Reliability.Tests.Support;

/// <summary>One generated request: method, path and query (already encoded), headers, body and its content type.</summary>
public sealed record FuzzRequest(string Method, string PathAndQuery, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body, string? ContentType)
{
    public override string ToString() =>
        $"{Method} {PathAndQuery} [{string.Join("; ", Headers.Select(h => $"{h.Name}: {h.Value}"))}] {ContentType} {Body?.Length ?? 0}B " +
        (Body is null ? "" : Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 300))));
}

/// <summary>
/// A seeded generator of requests over every route of the HTTP surface (entity API incl. rules with their webhook
/// and template limits, history, listing and index queries, batch, health, Pub/Sub bridge, the management API, the
/// ops routes: erase, drift check, catalog, the console's page and assets, metrics): random methods, path values (valid, unknown, too long,
/// encoded separators and controls), query values, headers and bodies (valid documents, mutated ones, random JSON,
/// random bytes, batches, push envelopes). The same seed yields the same sequence.
/// </summary>
public sealed class HttpFuzzer(int seed)
{
    private static readonly string[] Methods = ["GET", "GET", "HEAD", "PUT", "PUT", "PATCH", "PATCH", "POST", "POST", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "FOO"];
    private static readonly string[] Envs = ["dev", "dev", "dev", "dev", "dev", "dev", "dev", "dev", "prod", "stg", "qa", "DEV", "", "..", "%2e%2e"];
    private static readonly string[] Entities =
        ["ventures", "ventures", "ventures", "ventures", "ventures", "ventures", "ideas", "cap_tables", "rounds", "kpis", "budgets", "rules", "rules", "talent",
         "venture", "unknown", "", "VENTURES"];
    private static readonly string[] Actions = ["terminate", "suspend", "resume", "restart", "rewind", "raiseEvent/poke", "raiseEvent/", "purge", "unknown"];
    private static readonly string[] QueryKeys =
    [
        "asOf", "pageSize", "pageToken", "index", "key", "showInput", "showHistory", "showHistoryOutput", "top", "createdTimeFrom", "createdTimeTo",
        "runtimeStatus", "instanceIdPrefix", "taskHub", "connection", "code", "reason", "returnInternalServerErrorOnFailure", "restartWithNewInstanceId",
        "uploadType", "alt", "x",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "application/merge-patch+json", "application/x-ndjson", "text/plain", "application/xml",
        "application/json; charset=latin1", "application/json; charset=utf-8", "multipart/form-data; boundary=x", "garbage/;;", "",
    ];

    private readonly Random _random = new(seed);
    private readonly List<string> _instanceIds = ["no-such-instance", "write:dev:ventures:V1:abc", ""];
    private int _counter;

    /// <summary>Ids of instances the fuzz run has seen (from 202 payloads): later requests act on them.</summary>
    public void Learn(string instanceId)
    {
        if (_instanceIds.Count < 200)
        {
            _instanceIds.Add(instanceId);
        }
    }

    public FuzzRequest Next()
    {
        _counter++;
        var (path, kind) = Path();
        var method = Chance(0.75) ? Pick(MethodsFor(kind)) : Pick(Methods);
        var query = Query();
        var headers = Headers();
        var (body, type) = Body(kind, method);
        return new FuzzRequest(method, path + query, headers, body, type);
    }

    /// <summary>Methods the route serves, so most requests get past routing into validation.</summary>
    private static string[] MethodsFor(string kind) => kind switch
    {
        "entity" => ["GET", "HEAD", "PUT", "PUT", "PATCH", "PATCH", "DELETE"],
        "history" or "collection" => ["GET", "HEAD"],
        "batch" => ["POST"],
        "platform" => ["GET", "POST"],
        "instances" => ["GET", "GET", "HEAD", "DELETE"],
        "instance" => ["GET", "HEAD", "DELETE"],
        "action" => ["POST"],
        "erase" or "verify" => ["POST", "POST", "GET"],
        "console" => ["GET", "GET", "HEAD"],
        _ => Methods,
    };

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(double p) => _random.NextDouble() < p;

    private (string Path, string Kind) Path()
    {
        var env = Pick(Envs);
        var entity = Pick(Entities);
        var id = Id();
        var instance = Uri.EscapeDataString(Pick(_instanceIds));
        return _random.Next(14) switch
        {
            0 or 1 or 2 => ($"/api/{env}/{entity}/{id}", "entity"),
            3 => ($"/api/{env}/{entity}/{id}/history", "history"),
            4 => ($"/api/{env}/{entity}", "collection"),
            5 => ($"/api/{env}/{entity}:batch", "batch"),
            6 => (Chance(0.5) ? "/api/health" : "/api/pubsub/gcs-events", "platform"),
            7 => ("/runtime/webhooks/durabletask/instances", "instances"),
            8 or 9 => ($"/runtime/webhooks/durabletask/instances/{instance}", "instance"),
            10 => ($"/runtime/webhooks/durabletask/instances/{instance}/{Pick(Actions)}", "action"),
            11 => Chance(0.6) ? ($"/api/ops/erase/{env}/{entity}/{id}", "erase") : ($"/api/ops/verify/{env}/{entity}", "verify"),
            12 => (Pick(new[] { "/api/ops/catalog", "/ops", "/ops/", "/ops/app.js", "/ops/index.html", "/ops/..%2Fsecrets", "/ops/x.css", "/metrics" }), "console"),
            _ => (RandomPath(), "random"),
        };
    }

    private string Id() => _random.Next(20) switch
    {
        < 11 => $"V-FZ-{_random.Next(20)}",
        11 => "V001",
        12 => "bad/id",
        13 => "..%2F..%2Fetc",
        14 => "%00%01",
        15 => new string('x', _random.Next(100, 3000)),
        16 => "%E2%9C%93-%F0%9F%98%80",
        17 => "a%20%20b",
        18 => "%25%32%46",
        _ => Uri.EscapeDataString(RandomText(1, 20)),
    };

    private string RandomPath()
    {
        var segments = _random.Next(0, 7);
        var sb = new StringBuilder();
        for (var i = 0; i < segments; i++)
        {
            sb.Append('/').Append(_random.Next(6) switch
            {
                0 => "api",
                1 => "runtime",
                2 => Uri.EscapeDataString(RandomText(0, 12)),
                3 => "%2F",
                4 => "..",
                _ => Pick(Entities),
            });
        }

        return sb.Length == 0 ? "/" : sb.ToString();
    }

    private string Query()
    {
        var n = _random.Next(4) == 0 ? 0 : _random.Next(1, 5);
        if (n == 0)
        {
            return "";
        }

        var parts = new List<string>();
        for (var i = 0; i < n; i++)
        {
            parts.Add($"{Pick(QueryKeys)}={Uri.EscapeDataString(QueryValue())}");
        }

        return "?" + string.Join('&', parts);
    }

    private string QueryValue() => _random.Next(16) switch
    {
        0 => "true",
        1 => "false",
        2 => "2025-11-06T10:00:00Z",
        3 => "2025-13-45T99:99:99Z",
        4 => _random.Next(-5, 2000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        5 => "99999999999999999999999",
        6 => "Running,Failed",
        7 => "Sleeping",
        8 => "by-status",
        9 => "Pilot",
        10 => "EccoStudio",
        11 => "OtherHub",
        12 => "",
        13 => new string('9', _random.Next(1, 400)),
        14 => "write:dev:ventures:",
        _ => RandomText(0, 40),
    };

    private List<(string, string)> Headers()
    {
        var headers = new List<(string, string)>();
        var n = _random.Next(0, 4);
        for (var i = 0; i < n; i++)
        {
            headers.Add(_random.Next(11) switch
            {
                0 => ("If-Match", Pick(new[] { "*", "\"1\"", "\"99999999999\"", "W/\"1\"", "garbage", "\"a\", \"b\"", "", "\"", "*, \"1\"" })),
                1 => ("If-None-Match", Pick(new[] { "*", "\"1\"", "W/\"1\"", "nope", "" })),
                2 => ("Idempotency-Key", Pick(new[] { "k-" + _random.Next(5), "", "has space", new string('k', 300), "ünï" })),
                3 => ("x-ms-continuation-token", Pick(new[] { "garbage", "{\"a\":1}", "-1", "eyJ9", "", new string('t', 5000) })),
                4 => ("x-ecco-author", Pick(new[] { "ops", "", new string('a', 300), "tab\there" })),
                5 => ("Range", Pick(new[] { "bytes=0-10", "bytes=abc", "items=1-2" })),
                6 => ("Accept", Pick(new[] { "application/json", "*/*", "text/html", "application/problem+json" })),
                7 => ("Authorization", Pick(new[] { "Bearer x.y.z", "Basic Zm9vOmJhcg==", "Bearer " })),
                8 => ("Content-Encoding", Pick(new[] { "gzip", "br", "identity" })),
                9 => ("X-HTTP-Method-Override", Pick(Methods)),
                _ => ("x-" + RandomAscii(1, 10), RandomAscii(0, 30)),
            });
        }

        return headers;
    }

    private (byte[]? Body, string? ContentType) Body(string kind, string method)
    {
        if (method is "GET" or "HEAD" && Chance(0.9))
        {
            return (null, null);
        }

        var type = Pick(ContentTypes);
        var body = _random.Next(14) switch
        {
            _ when kind == "erase" && Chance(0.7) => Erase(),
            _ when kind == "entity" && method is "PUT" or "PATCH" && Chance(0.2) => Rule(),
            0 or 1 or 2 => Venture(valid: true),
            3 => Venture(valid: false),
            4 => """{"status":"Scale"}""",
            5 => Batch(),
            6 => string.Join('\n', Enumerable.Range(0, _random.Next(1, 5)).Select(_ => _random.Next(3) == 0 ? "{bad" : $$"""{"id":"V-FZ-{{_random.Next(20)}}","document":{{Venture(_random.Next(2) == 0)}}}""")),
            7 => Push(),
            8 => RandomJson(0).ToJsonString(),
            9 => new string('[', _random.Next(10, 200)),
            10 => "",
            11 => "null",
            12 => RandomText(0, 500),
            _ => Encoding.Latin1.GetString(RandomBytes(_random.Next(0, 300))),
        };
        if (kind == "entity" && method is "PUT" or "PATCH" && Chance(0.6))
        {
            type = method == "PATCH" ? "application/merge-patch+json" : "application/json";
        }

        if (kind == "batch" && Chance(0.3))
        {
            type = "application/json";
            body = Batch();
        }

        return (_random.Next(20) == 0 ? RandomBytes(_random.Next(1, 2000)) : Encoding.UTF8.GetBytes(body), type.Length == 0 ? null : type);
    }

    private string Venture(bool valid)
    {
        var doc = new JsonObject
        {
            ["schema_version"] = "1.0.0",
            ["lead"] = "Ann",
            ["status"] = Pick(new[] { "Idea", "Pilot", "Scale" }),
            ["milestones"] = new JsonArray(),
            ["budget"] = new JsonObject { ["plannedUSD"] = 10, ["spentUSD"] = 0 },
            ["kpis"] = new JsonObject { ["MRR"] = 0, ["userCount"] = 0, ["churnRate"] = 0 },
        };
        if (!valid)
        {
            switch (_random.Next(9))
            {
                case 0: doc.Remove("schema_version"); break;
                case 1: doc["budget"] = "lots"; break;
                case 2: doc["updated_at"] = "yesterday"; break;
                case 3: doc["id"] = "OTHER"; break;
                case 4: doc["schema_version"] = "9.9.9"; break;
                case 5: doc["created_at"] = "2030-01-01T00:00:00Z"; doc["updated_at"] = "2020-01-01T00:00:00Z"; break;
                case 6: doc["status"] = new string('s', 5000); break;
                case 7: doc["env"] = "prod"; break;
                default: doc["kpis"] = RandomJson(0); break;
            }
        }

        return doc.ToJsonString();
    }

    /// <summary>An erase body: a reason (valid, empty, too long, not text) or none.</summary>
    private string Erase() => _random.Next(6) switch
    {
        0 or 1 => """{"reason":"fuzz: data subject request"}""",
        2 => """{"reason":""}""",
        3 => $$"""{"reason":"{{new string('r', 600)}}"}""",
        4 => """{"reason":42}""",
        _ => """{"why":"x"}""",
    };

    /// <summary>
    /// A rule document: a named webhook, a URL (refused: destinations are names), unsafe targets, oversized templates,
    /// too many placeholders, the empty pointer — the write-time checks of docs/security.md.
    /// </summary>
    private string Rule()
    {
        var action = _random.Next(9) switch
        {
            0 or 1 => """{"type":"slack","webhook":"slack-ops","template":"{{/status}} changed"}""",
            2 => """{"type":"slack","url":"http://169.254.169.254/latest/meta-data/","template":"x"}""",
            3 => """{"type":"slack","webhook":"gopher://127.0.0.1:6379/_x","template":"x"}""",
            4 => $$"""{"type":"slack","webhook":"slack-ops","template":"{{new string('t', _random.Next(8_000, 120_000))}}"}""",
            5 => $$"""{"type":"slack","webhook":"slack-ops","template":"{{string.Concat(Enumerable.Repeat("{{/id}}", _random.Next(50, 3_000)))}}"}""",
            6 => """{"type":"slack","webhook":"slack-ops","template":"{{}}"}""",
            7 => """{"type":"email","webhook":"slack-ops","to":"ops@example.com","subject":"s","template":"{{/name}}"}""",
            _ => RandomJson(0).ToJsonString(),
        };
        return $$"""{"schema_version":"1.0.0","name":"fuzz","target_entity":"{{Pick(new[] { "ventures", "talent", "venture", "nope" })}}","enabled":true,"condition":{"pointer":"/status","op":"eq","value":"Pilot"},"action":{{action}}}""";
    }

    private string Batch()
    {
        var items = new JsonArray();
        var n = _random.Next(0, 6);
        for (var i = 0; i < n; i++)
        {
            items.Add(_random.Next(4) switch
            {
                0 => new JsonObject { ["id"] = $"V-FZ-{_random.Next(20)}", ["patch"] = new JsonObject { ["status"] = "Pilot" } },
                1 => RandomJson(0),
                _ => new JsonObject { ["id"] = $"V-FZ-B{_counter}-{i}", ["document"] = JsonNode.Parse(Venture(_random.Next(3) > 0)) },
            });
        }

        return items.ToJsonString();
    }

    private string Push()
    {
        var attributes = new JsonObject
        {
            ["eventType"] = Pick(new[] { "OBJECT_FINALIZE", "OBJECT_DELETE", "WEIRD" }),
            ["bucketId"] = Pick(new[] { "ecco-studio-platform-data", "other" }),
            ["objectId"] = Pick(new[] { "env/dev/ventures/V-FZ-1/history/2025/11/06/x.json", "env/dev/snapshots/ventures/V-FZ-1.json", "../x", "" }),
            ["objectGeneration"] = Pick(new[] { "1", "x", "-1" }),
        };
        var message = new JsonObject
        {
            ["data"] = Pick(new[] { Convert.ToBase64String("{}"u8.ToArray()), "!!notbase64", "" }),
            ["attributes"] = attributes,
            ["messageId"] = _random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new JsonObject { ["message"] = message, ["subscription"] = "projects/p/subscriptions/s" }.ToJsonString();
    }

    private JsonNode RandomJson(int depth)
    {
        switch (_random.Next(depth > 4 ? 4 : 7))
        {
            case 0: return JsonValue.Create(_random.Next(-1000, 1000));
            case 1: return JsonValue.Create(RandomText(0, 20));
            case 2: return JsonValue.Create(_random.Next(2) == 0);
            case 3: return JsonValue.Create(_random.NextDouble() * 1e300);
            case 4:
            case 5:
                var o = new JsonObject();
                for (var i = _random.Next(0, 5); i > 0; i--)
                {
                    o[Pick(new[] { "id", "entity", "env", "updated_at", "status", "budget", "document", "patch", RandomAscii(1, 8) })] = RandomJson(depth + 1);
                }

                return o;
            default:
                var a = new JsonArray();
                for (var i = _random.Next(0, 5); i > 0; i--)
                {
                    a.Add(RandomJson(depth + 1));
                }

                return a;
        }
    }

    private string RandomText(int min, int max)
    {
        var length = _random.Next(min, max + 1);
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(_random.Next(10) switch
            {
                0 => (char)_random.Next(0, 32),
                1 => (char)_random.Next(0x80, 0x800),
                2 => Pick(new[] { '/', '\\', '%', '?', '#', '&', '=', '"', '\'', ':', '.' }),
                _ => (char)_random.Next(32, 127),
            });
        }

        // Lone surrogates cannot be encoded; keep the text valid UTF-16.
        return sb.ToString();
    }

    private string RandomAscii(int min, int max)
    {
        var length = _random.Next(min, max + 1);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)_random.Next('a', 'z' + 1);
        }

        return new string(chars);
    }

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        _random.NextBytes(bytes);
        return bytes;
    }
}
