using EccoStudio.Api.Instances;
using EccoStudio.Api.Tests.Fakes;

namespace EccoStudio.Api.Tests.Instances;

/// <summary>The check-status payload of the local host: Durable Functions member names, URLs on the management API.</summary>
public sealed class CheckStatusPayloadTests
{
    [Fact]
    public void Create_LocalLinks_PointAtTheManagementApiWithTheEscapedId()
    {
        var links = new LocalStatusLinks(new Uri("http://127.0.0.1:7071/"));

        var payload = links.Create("write:dev:ventures:V 1:abc");

        var instance = "http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/write%3Adev%3Aventures%3AV%201%3Aabc";
        Assert.Equal("write:dev:ventures:V 1:abc", payload.Id);
        Assert.Equal(instance, payload.StatusQueryGetUri);
        Assert.Equal(instance + "/raiseEvent/{eventName}", payload.SendEventPostUri);
        Assert.Equal(instance + "/terminate?reason={text}", payload.TerminatePostUri);
        Assert.Equal(instance, payload.PurgeHistoryDeleteUri);
        Assert.Equal(instance + "/restart", payload.RestartPostUri);
        Assert.Equal(instance + "/suspend?reason={text}", payload.SuspendPostUri);
        Assert.Equal(instance + "/resume?reason={text}", payload.ResumePostUri);
    }

    [Fact]
    public void ToJson_HasTheDurableFunctionsMembers()
    {
        var json = new LocalStatusLinks(new Uri("http://h:1/")).Create("i").ToJson();

        Assert.Equal(
            ["id", "statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "restartPostUri", "suspendPostUri", "resumePostUri"],
            json.Select(p => p.Key));
        Assert.All(json, p => Assert.False(string.IsNullOrEmpty(p.Value!.GetValue<string>())));
    }

    [Fact]
    public void For_Request_UsesItsSchemeHostAndPathBase()
    {
        var context = HttpExchange.Request("PUT", "/api/dev/ventures/V1");
        context.Request.Scheme = "https";
        context.Request.Host = new Microsoft.AspNetCore.Http.HostString("ecco.example", 8443);
        context.Request.PathBase = "/studio";

        var payload = LocalStatusLinks.For(context.Request).Create("i-1");

        Assert.Equal("https://ecco.example:8443/studio/runtime/webhooks/durabletask/instances/i-1", payload.StatusQueryGetUri);
    }

    [Fact]
    public async Task Accepted_WritesA202WithLocationAndThePayload()
    {
        var payload = new LocalStatusLinks(new Uri("http://127.0.0.1:7071/")).Create("write:dev:ventures:V1:k1");
        var context = HttpExchange.Request("PUT", "/api/dev/ventures/V1");

        var response = await HttpExchange.RunAsync(context, () => Task.FromResult(Api.Writes.WriteRequestHandler.Accepted(payload)));

        Assert.Equal(202, response.Status);
        Assert.Equal(payload.StatusQueryGetUri, response.Headers.Location.ToString());
        Assert.Equal(payload.ToJson().ToJsonString(), response.Body!.ToJsonString());
    }
}
