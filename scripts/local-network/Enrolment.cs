using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dandelion.LocalNetwork;

/// <summary>
/// Enrols a node as an operator would (docs/DEPLOYMENT.md, Enrolment): asks the entrance's operator
/// API for a credential of a new id (<c>POST /api/credentials</c>), then keeps it in the node's data
/// directory as its <c>enrol</c> command does (<c>{role}.id</c> and <c>{role}.token</c>, owner only).
/// </summary>
internal static class Enrolment
{
    public static async Task<string> EnrolAsync(HttpClient http, Uri entrance, string operatorKey, string role, string dataDirectory,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(entrance, "api/credentials"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["role"] = role }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var credential = await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken);
        var id = credential!.RootElement.GetProperty("id").GetString()!;
        var token = credential.RootElement.GetProperty("token").GetString()!;
        Directory.CreateDirectory(dataDirectory);
        await WriteAsync(Path.Combine(dataDirectory, role + ".id"), id, cancellationToken);
        await WriteAsync(Path.Combine(dataDirectory, role + ".token"), token, cancellationToken);
        return id;
    }

    private static async Task WriteAsync(string path, string value, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, value + "\n", cancellationToken);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
