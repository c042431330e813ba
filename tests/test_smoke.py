def test_home_page_lists_a_published_post(client, make_post):
    post = make_post(title="周末去西湖")
    response = client.get("/")
    assert response.status_code == 200
    assert "周末去西湖" in response.content.decode()
    assert post.status == "published"
