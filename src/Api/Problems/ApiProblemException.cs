namespace EccoStudio.Api.Problems;

/// <summary>A request the API refuses for a reason of its own (size, media type, route, query); carries the status.</summary>
public sealed class ApiProblemException : Exception
{
    public ApiProblemException(int status, string slug, string title, string detail)
        : base(detail)
    {
        Status = status;
        Slug = slug;
        Title = title;
    }

    public ApiProblemException()
        : this(400, "bad-request", "Bad request", "The request is not valid.")
    {
    }

    public ApiProblemException(string message)
        : this(400, "bad-request", "Bad request", message)
    {
    }

    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Slug = "bad-request";
        Title = "Bad request";
    }

    public int Status { get; }

    /// <summary>The last segment of the problem type URI.</summary>
    public string Slug { get; }

    public string Title { get; }

    public static ApiProblemException NotFound(string slug, string detail) => new(404, slug, "Not found", detail);

    public static ApiProblemException BadRequest(string slug, string detail) => new(400, slug, "Bad request", detail);
}
