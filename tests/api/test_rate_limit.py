"""The rate limit per token: past HOPTHU_API_RATE_PER_MINUTE requests in a minute the API
answers 429 with Retry-After (RFC 6585 §4); another token has its own count."""
from tests.api.conftest import ApiClient, assert_problem, make_token


def test_a_token_over_its_rate_gets_429_with_retry_after(settings, superadmin):
    settings.HOPTHU_API_RATE_PER_MINUTE = 3
    api = ApiClient(make_token(superadmin, "busy"))
    assert [api.get("/api/v1/domains/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/domains/")
    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 61
    other = ApiClient(make_token(superadmin, "quiet"))
    assert other.get("/api/v1/domains/").status_code == 200


def test_zero_means_no_limit(settings, superadmin):
    settings.HOPTHU_API_RATE_PER_MINUTE = 0
    api = ApiClient(make_token(superadmin))
    assert {api.get("/api/v1/domains/").status_code for _ in range(5)} == {200}
