"""The public list fragment is cached per address and language, and every write invalidates it."""

from serai.core.testing import count_queries
from serai.projects import operations


def test_public_list_is_cached_and_any_write_shows_at_once(client, roles, make_project, walk):
    project = make_project()
    walk(project, "endorsed")
    first, body1, _ = count_queries(lambda: client.get("/en/projects/").content.decode())
    again, body2, _ = count_queries(lambda: client.get("/en/projects/").content.decode())

    def rows(html):
        return html[html.index('role="status"') : html.index("</table>")]

    assert rows(body1) == rows(body2) and project.code in body1
    assert again < first  # the rows, their prefetches and the count come from the cache
    api_before = client.get("/api/v1/projects/").json()
    other = make_project()
    walk(other, "implementation")  # writes through operations: a new content version
    assert other.code in client.get("/en/projects/").content.decode()
    api_after = client.get("/api/v1/projects/").json()
    assert api_after["count"] == api_before["count"] + 1
    assert other.code in {p["code"] for p in api_after["results"]}
    operations.fire_transition(roles["secretariat"], other, "suspend", reason="Funding paused")
    assert "Suspended" in client.get(f"/en/projects/?q={other.code}").content.decode()


def test_people_with_a_role_never_get_the_public_fragment(client, roles, make_project):
    draft = make_project()
    assert draft.code not in client.get("/en/projects/").content.decode()  # cached for the public
    client.force_login(roles["fp_kz"])
    assert draft.code in client.get("/en/projects/").content.decode()
