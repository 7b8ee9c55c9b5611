using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace EccoStudio.Triggers.Tests.Fakes;

/// <summary>
/// The smallest <see cref="FunctionContext"/> a trigger or middleware needs: a name, services, and the ASP.NET Core
/// <see cref="HttpContext"/> under the item key the HTTP extension uses (<c>HttpRequestContext</c>).
/// </summary>
public sealed class FakeFunctionContext : FunctionContext
{
    public FakeFunctionContext(string functionName, IServiceProvider services, HttpContext? http = null)
    {
        FunctionDefinition = new FakeFunctionDefinition(functionName);
        InstanceServices = services;
        if (http is not null)
        {
            Items["HttpRequestContext"] = http;
        }
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext => throw new NotSupportedException();

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException();

    public override CancellationToken CancellationToken => CancellationToken.None;

    private sealed class FakeFunctionDefinition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(FakeFunctionDefinition).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
