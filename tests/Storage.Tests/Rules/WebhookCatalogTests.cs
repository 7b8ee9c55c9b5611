using System.Net;
using EccoStudio.Storage.Rules;

namespace EccoStudio.Storage.Tests.Rules;

public class WebhookCatalogTests
{
    private static WebhookCatalog Catalog(string url, bool loopback = false) => new(new WebhookOptions
    {
        AllowedHosts = ["hooks.slack.com", "*.alerts.example.com"],
        AllowLoopbackHttp = loopback,
        Webhooks = { ["ops"] = url },
    });

    [Theory]
    [InlineData("http://127.0.0.1:7071/api/dev/ventures/X")] // loopback over plain http
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data/")] // cloud metadata
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://100.64.1.1/hook")] // CGNAT
    [InlineData("https://[fd12::1]/hook")] // ULA
    [InlineData("https://[::ffff:127.0.0.1]/hook")] // IPv4-mapped
    [InlineData("https://2130706433/hook")] // 127.0.0.1 as one decimal number
    [InlineData("https://localhost/hook")]
    [InlineData("https://app.localhost/hook")]
    [InlineData("gopher://hooks.slack.com:70/_POST")]
    [InlineData("http://hooks.slack.com/services/T/B/X")] // not https
    [InlineData("https://evil.example.org/hook")] // not allow-listed
    [InlineData("https://hooks.slack.com.evil.example.org/x")]
    [InlineData("https://user:pw@hooks.slack.com/services/T/B/X")]
    [InlineData("https://alerts.example.com/x")] // the wildcard covers subdomains only
    [InlineData("not a url")]
    public void TryResolve_UnsafeDestination_RefusedWithoutEchoingTheUrl(string url)
    {
        var catalog = Catalog(url);
        Assert.Null(catalog.TryResolve("ops", out var reason));
        Assert.StartsWith("webhook 'ops' is configured but refused: ", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("/hook", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("services", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXX")]
    [InlineData("https://HOOKS.SLACK.COM./services/T000/B000/XXXX")]
    [InlineData("https://relay.alerts.example.com:8443/mail")]
    public void TryResolve_HttpsToAllowedHost_Resolves(string url) =>
        Assert.Equal(new Uri(url), Catalog(url).TryResolve("ops", out _));

    [Theory]
    [InlineData("http://127.0.0.1:9000/hook", true)]
    [InlineData("http://[::1]:9000/hook", true)]
    [InlineData("http://10.0.0.1:9000/hook", false)] // the local switch covers loopback literals only
    [InlineData("http://localhost:9000/hook", false)]
    public void TryResolve_LoopbackSwitch_CoversLoopbackLiteralsOnly(string url, bool allowed) =>
        Assert.Equal(allowed, Catalog(url, loopback: true).TryResolve("ops", out _) is not null);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Slack-Ops")]
    [InlineData("https://hooks.slack.com/services/T/B/X")]
    [InlineData("unknown")]
    public void TryResolve_BadOrUnknownName_Refused(string? name)
    {
        Assert.Null(Catalog("https://hooks.slack.com/services/T/B/X").TryResolve(name, out var reason));
        Assert.NotNull(reason);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("127.0.0.53", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("2002:a9fe:a9fe::1", false)]
    [InlineData("ff02::1", false)]
    public void IsPublic_Addresses(string address, bool expected) =>
        Assert.Equal(expected, NetworkAddresses.IsPublic(IPAddress.Parse(address)));
}
