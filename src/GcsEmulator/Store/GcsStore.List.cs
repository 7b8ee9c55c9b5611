using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EccoStudio.GcsEmulator.Errors;
using EccoStudio.GcsEmulator.Model;

namespace EccoStudio.GcsEmulator.Store;

public sealed partial class GcsStore
{
    /// <summary>objects.list: code-point order, prefixes collapsed by the delimiter, resumable page tokens.</summary>
    public ListResult ListObjects(string bucket, ListQuery query)
    {
        var state = GetBucketState(bucket);
        var token = PageToken.Decode(query.PageToken);
        var glob = query.MatchGlob is { Length: > 0 } g ? GlobMatcher.Compile(g) : null;
        var prefix = query.Prefix ?? string.Empty;
        var delimiter = string.IsNullOrEmpty(query.Delimiter) ? null : query.Delimiter;
        var max = query.MaxResults <= 0 ? 1000 : Math.Min(query.MaxResults, 1000);
        var items = new List<ObjectMeta>();
        var prefixes = new List<string>();
        PageToken? last = null;
        var count = 0;
        var cmp = ObjectNameComparer.Instance;

        lock (state.Sync)
        {
            var start = prefix;
            if (query.StartOffset is { } so && cmp.Compare(so, start) > 0)
            {
                start = so;
            }

            if (token is not null && cmp.Compare(token.N, start) > 0)
            {
                start = token.N;
            }

            var names = state.Names;
            for (var i = state.LowerBound(start); i < names.Count; i++)
            {
                var name = names[i];
                if (!name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    break;
                }

                if (query.EndOffset is { Length: > 0 } eo && cmp.Compare(name, eo) >= 0)
                {
                    break;
                }

                if (token is { P: true } && name.StartsWith(token.N, StringComparison.Ordinal))
                {
                    continue;
                }

                if (glob is not null && !glob.IsMatch(name))
                {
                    continue;
                }

                var slot = state.Slot(name)!;
                if (!query.Versions && slot.Live is null)
                {
                    continue;
                }

                var emitObject = true;
                if (delimiter is not null)
                {
                    var j = name.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                    if (j >= 0)
                    {
                        var p = name[..(j + delimiter.Length)];
                        emitObject = query.IncludeTrailingDelimiter && p.Length == name.Length;
                        if (prefixes.Count == 0 || prefixes[^1] != p)
                        {
                            if (!(token is { P: true } && token.N == p))
                            {
                                if (count == max)
                                {
                                    return new ListResult(items, prefixes, last!.Encode());
                                }

                                prefixes.Add(p);
                                count++;
                                last = new PageToken(p, 0, true);
                            }
                        }
                    }
                }

                if (!emitObject)
                {
                    continue;
                }

                IEnumerable<ObjectMeta> versions = query.Versions
                    ? slot.Noncurrent.Concat(slot.Live is null ? [] : [slot.Live]).OrderBy(m => m.Generation)
                    : [slot.Live!];
                foreach (var meta in versions)
                {
                    if (token is { P: false } && name == token.N && meta.Generation <= token.G)
                    {
                        continue;
                    }

                    if (count == max)
                    {
                        return new ListResult(items, prefixes, last!.Encode());
                    }

                    items.Add(meta);
                    count++;
                    last = new PageToken(name, query.Versions ? meta.Generation : long.MaxValue, false);
                }
            }
        }

        return new ListResult(items, prefixes, null);
    }

    /// <summary>Where a listing resumes: after name N (and generation G when listing versions), or after prefix N.</summary>
    private sealed record PageToken(string N, long G, bool P)
    {
        public string Encode() =>
            Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["n"] = N, ["g"] = G, ["p"] = P }))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static PageToken? Decode(string? token)
        {
            if (string.IsNullOrEmpty(token))
            {
                return null;
            }

            try
            {
                var b64 = token.Replace('-', '+').Replace('_', '/');
                b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
                using var doc = JsonDocument.Parse(Convert.FromBase64String(b64));
                var root = doc.RootElement;
                return new PageToken(root.GetProperty("n").GetString()!, root.GetProperty("g").GetInt64(), root.GetProperty("p").GetBoolean());
            }
            catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw GcsException.BadRequest("Invalid page token.");
            }
        }
    }

    /// <summary>matchGlob: ** any characters, * any but '/', ? one but '/', [set], {a,b}.</summary>
    private static class GlobMatcher
    {
        public static Regex Compile(string glob)
        {
            var sb = new StringBuilder("^");
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                switch (c)
                {
                    case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                        sb.Append(".*");
                        i++;
                        break;
                    case '*':
                        sb.Append("[^/]*");
                        break;
                    case '?':
                        sb.Append("[^/]");
                        break;
                    case '[':
                        var end = glob.IndexOf(']', i + 1);
                        if (end < 0)
                        {
                            throw GcsException.BadRequest("Invalid matchGlob.");
                        }

                        var set = glob[(i + 1)..end];
                        sb.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                        i = end;
                        break;
                    case '{':
                        var close = glob.IndexOf('}', i + 1);
                        if (close < 0)
                        {
                            throw GcsException.BadRequest("Invalid matchGlob.");
                        }

                        sb.Append("(?:").AppendJoin('|', glob[(i + 1)..close].Split(',').Select(Regex.Escape)).Append(')');
                        i = close;
                        break;
                    default:
                        sb.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
    }
}
