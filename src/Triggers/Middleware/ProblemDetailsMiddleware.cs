using EccoStudio.Api.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Triggers.Middleware;

/// <summary>
/// Maps a failing HTTP function's exception through the shared <see cref="ProblemMapper"/> (the same problem documents as
/// the local host). Non-HTTP functions (orchestrations, activities, timers) rethrow: the Durable runtime records them.
/// </summary>
public sealed partial class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            var http = context.GetHttpContext();
            if (http is null)
            {
                throw;
            }

            var inner = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
            var problem = ProblemMapper.Map(inner);
            if (problem.Status >= 500)
            {
                LogFailure(logger, context.FunctionDefinition.Name, inner);
            }

            await ProblemMapper.WriteAsync(http, problem);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed")]
    private static partial void LogFailure(ILogger logger, string function, Exception exception);
}
