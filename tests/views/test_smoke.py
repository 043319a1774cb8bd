def test_pages_render_for_admin(client, login, world):
    login(client, world.admin)
    for url in ["/", "/admin/enterprises", "/admin/users", "/admin/audit", "/workers/", "/admin/users/new",
                "/admin/enterprises/new", f"/admin/users/{world.worker_b.id}", f"/admin/users/{world.worker_b.id}/edit",
                f"/admin/enterprises/{world.enterprise_b.id}/edit", "/proposals/", "/auth" if False else "/profile", "/password"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.data[:2000])
