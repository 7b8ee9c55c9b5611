using System.Collections.Frozen;
using System.Net;
using System.Text.RegularExpressions;

namespace EccoStudio.Storage.Rules;

/// <summary>
/// The configured alert destinations and the policy every destination must pass, checked both when a rule is written
/// (a rule naming an unknown or refused webhook is a 422) and again before each POST: https only, host on the
/// allow-list, no user info, no IP literal that is not public (<see cref="NetworkAddresses"/>), no <c>localhost</c>.
/// The connect-time check on the resolved address is the delivery handler's; this one needs no DNS.
/// Messages name the webhook, never its URL.
/// </summary>
public sealed partial class WebhookCatalog
{
    private readonly FrozenDictionary<string, Uri> _urls;
    private readonly FrozenDictionary<string, string> _refused;
    private readonly string[] _allowedHosts;

    public WebhookCatalog(WebhookOptions options)
    {
        AllowLoopbackHttp = options.AllowLoopbackHttp;
        _allowedHosts = [.. options.AllowedHosts.Select(h => h.Trim().TrimEnd('.').ToLowerInvariant()).Where(h => h.Length > 0)];
        var good = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var bad = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, url) in options.Webhooks)
        {
            Uri? uri = null;
            var problem = !IsValidName(name) ? "its name is not 1..64 of a-z, 0-9, '-', '_'" : CheckUrl(url, out uri);
            if (problem is null)
            {
                good[name] = uri!;
            }
            else
            {
                bad[name] = problem;
            }
        }

        _urls = good.ToFrozenDictionary(StringComparer.Ordinal);
        _refused = bad.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>No destinations: every rule naming a webhook is refused.</summary>
    public static WebhookCatalog None { get; } = new(new WebhookOptions());

    public bool AllowLoopbackHttp { get; }

    public IReadOnlyCollection<string> Names => _urls.Keys;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>The URL of <paramref name="name"/>, or null with the reason it cannot be used (safe to show: names no URL).</summary>
    public Uri? TryResolve(string? name, out string? reason)
    {
        if (!IsValidName(name))
        {
            reason = "'webhook' must name a configured destination (1..64 of a-z, 0-9, '-', '_')";
            return null;
        }

        if (_urls.TryGetValue(name!, out var uri))
        {
            reason = null;
            return uri;
        }

        reason = _refused.TryGetValue(name!, out var why)
            ? $"webhook '{name}' is configured but refused: {why}"
            : $"webhook '{name}' is not configured (Ecco:Alerts:Webhooks:{name})";
        return null;
    }

    /// <summary>Null when <paramref name="url"/> may receive alerts; else why not (without echoing the URL).</summary>
    public string? CheckUrl(string? url, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            return "its URL is not an absolute URL";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "its URL carries user info";
        }

        var host = parsed.IdnHost.TrimEnd('.').ToLowerInvariant();
        var loopbackLiteral = IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var literal) && IPAddress.IsLoopback(literal) && !literal.IsIPv4MappedToIPv6;
        if (AllowLoopbackHttp && loopbackLiteral && parsed.Scheme is "http" or "https")
        {
            uri = parsed;
            return null;
        }

        if (parsed.Scheme != Uri.UriSchemeHttps)
        {
            return "only https URLs are allowed";
        }

        if (literal is not null && !NetworkAddresses.IsPublic(literal))
        {
            return "its host is a loopback, private, link-local or otherwise non-public address";
        }

        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return "its host is localhost";
        }

        if (!_allowedHosts.Any(allowed => HostMatches(host, allowed)))
        {
            return $"host '{host}' is not on the allow-list (Ecco:Alerts:AllowedHosts)";
        }

        uri = parsed;
        return null;
    }

    private static bool HostMatches(string host, string allowed) =>
        allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.Ordinal) && host.Length > allowed.Length - 1
            : host == allowed;
}
