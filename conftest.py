"""The pytest suite's options and fixtures: `pytest --url=<API_URL> [--profile=seed]`.

It speaks HTTP only, with the standard library, requests and pytest, so it runs from a fresh clone
against any deployment (`terraform -chdir=infra/terraform output -raw api_url`) or `npm start`
(http://localhost:3000). npm test runs it against the local server in both profiles.
"""
import uuid

import pytest
import requests

PASSWORD = "correct horse battery"


def pytest_addoption(parser):
    parser.addoption("--url", action="store", default=None, help="Base URL of the API, e.g. http://localhost:3000")
    parser.addoption(
        "--profile",
        action="store",
        default="secure",
        choices=["secure", "seed"],
        help="API_PROFILE the API serves (secure, the default, or seed)",
    )


class Api:
    """A client of one API: every call is a request, every answer a requests.Response."""

    def __init__(self, url, profile):
        self.url = url.rstrip("/")
        self.profile = profile
        self.session = requests.Session()

    @property
    def seed(self):
        return self.profile == "seed"

    def post(self, path, body=None, headers=None, data=None):
        if data is not None:
            return self.session.post(self.url + path, data=data, headers=headers or {}, timeout=30)
        return self.session.post(self.url + path, json=body if body is not None else {}, headers=headers or {}, timeout=30)

    def get(self, path):
        return self.session.get(self.url + path, timeout=30)

    def register(self, password=PASSWORD):
        res = self.post("/register_user", {"password": password})
        assert res.status_code == 200, res.text
        return res.json()["user_id"]

    def inbox(self, user_id, **extra):
        res = self.post("/check_messages", {"user_id": user_id, "password": PASSWORD, **extra})
        assert res.status_code == 200, res.text
        return res.json()

    def create_group(self, owner, members, **extra):
        res = self.post("/create_group", {"user_id": owner, "password": PASSWORD, "members": members, **extra})
        assert res.status_code == 200, res.text
        return res.json()["group_id"]

    def members(self, user_id, group_id):
        res = self.post("/get_group", {"user_id": user_id, "password": PASSWORD, "group_id": group_id})
        assert res.status_code == 200, res.text
        return [(m["user_id"], m["role"]) for m in res.json()["members"]]


@pytest.fixture(scope="session")
def api(request):
    url = request.config.getoption("--url")
    if not url:
        pytest.exit("Give the API's URL: pytest --url=http://localhost:3000 (or a deployment's api_url)", returncode=4)
    return Api(url, request.config.getoption("--profile"))


@pytest.fixture
def unknown_user():
    """An id no one registered (well-formed, 26 letters and digits after the prefix)."""
    return "user-" + uuid.uuid4().hex[:26].upper()
