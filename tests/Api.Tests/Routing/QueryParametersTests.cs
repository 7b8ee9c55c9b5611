using EccoStudio.Api.Problems;
using EccoStudio.Api.Routing;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Tests.Routing;

public sealed class QueryParametersTests
{
    [Theory]
    [InlineData("?asOf=2025-01-01T00:00:00Z&asOf=2026-01-01T00:00:00Z", "asOf")]
    [InlineData("?top=5&top=6", "top")]
    [InlineData("?showInput=true&showInput=false", "showInput")]
    public void One_Repeated_Is400RepeatedParameterForEveryKind(string query, string name)
    {
        var request = Request(query);
        var single = Assert.Throws<ApiProblemException>(() => QueryParameters.One(request, name));
        Assert.Equal("repeated-parameter", single.Slug);
        Assert.Equal(400, single.Status);
        // The typed readers go through the same rule.
        Assert.Equal("repeated-parameter", Assert.Throws<ApiProblemException>(() => name switch
        {
            "top" => QueryParameters.Number(request, name),
            "showInput" => QueryParameters.Flag(request, name, true),
            _ => (object?)QueryParameters.Time(request, name),
        }).Slug);
    }

    [Fact]
    public void List_RepeatedAndCommaSeparated_AllValuesTrimmed()
    {
        var values = QueryParameters.List(Request("?runtimeStatus=Running,%20Pending&runtimeStatus=Failed&runtimeStatus="), "runtimeStatus");
        Assert.Equal(["Running", "Pending", "Failed"], values);
    }

    [Fact]
    public void NonEmpty_EmptyValue_IsAbsentButOneKeepsIt()
    {
        var request = Request("?reason=");
        Assert.Null(QueryParameters.NonEmpty(request, "reason"));
        Assert.Equal(string.Empty, QueryParameters.One(request, "reason"));
        Assert.Null(QueryParameters.One(request, "missing"));
    }

    [Theory]
    [InlineData("?top=ten", "invalid-number")]
    [InlineData("?showInput=yes", "invalid-flag")]
    [InlineData("?createdTimeFrom=yesterday", "invalid-time")]
    public void Typed_Malformed_Is400NamingTheParameter(string query, string slug)
    {
        var request = Request(query);
        var name = query[1..query.IndexOf('=', StringComparison.Ordinal)];
        var problem = Assert.Throws<ApiProblemException>(() => slug switch
        {
            "invalid-number" => QueryParameters.Number(request, name),
            "invalid-flag" => QueryParameters.Flag(request, name, false),
            _ => (object?)QueryParameters.Time(request, name),
        });
        Assert.Equal(slug, problem.Slug);
        Assert.Contains(name, problem.Message, StringComparison.Ordinal);
    }

    private static HttpRequest Request(string query) => new DefaultHttpContext { Request = { QueryString = new QueryString(query) } }.Request;
}
