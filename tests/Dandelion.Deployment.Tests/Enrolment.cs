using System.Net.Http.Json;
using System.Text.Json;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;

namespace Dandelion.Deployment.Tests;

/// <summary>Enrols a node as an operator does: a credential from <c>POST /api/credentials</c>, kept in the node's data directory as its <c>enrol</c> command keeps it.</summary>
internal static class Enrolment
{
    /// <param name="http">Sends the operator key.</param>
    public static async Task<string> EnrolAsync(HttpClient http, int entrancePort, string role, string dataDirectory)
    {
        using var response = await http.PostAsJsonAsync($"http://127.0.0.1:{entrancePort}/api/credentials", new { role });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var credential = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = credential.GetProperty("id").GetString()!;
        CredentialFiles.Save(dataDirectory, role == "box" ? NodeRole.Box : NodeRole.Publisher, new NodeCredential(id, credential.GetProperty("token").GetString()!));
        return id;
    }
}
