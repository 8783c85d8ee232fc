"""The API as its users rely on it, over HTTP: every endpoint, in either profile (docs/SPEC.md).

    pytest --url=http://localhost:3000                 # npm start
    pytest --url=<api_url> --profile=seed              # a deployment serving the seed profile

Not a copy of the TypeScript suite (test/integration), which checks every case: this one checks
what a client of the original system, or of this one, depends on.
"""
import re
import uuid

import pytest

from conftest import PASSWORD

USER_ID = re.compile(r"^user-[a-zA-Z0-9]+$")
GROUP_ID = re.compile(r"^group-[a-zA-Z0-9]+$")
MESSAGE_ID = re.compile(r"^msg-[a-zA-Z0-9]+$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def expect_error(api, res, status, code, message=None):
    """An error in the profile's shape: secure {"error", "message"[, "details"]}, seed {"message"} only."""
    assert res.status_code == status, f"expected {status} {code}, got {res.status_code} {res.text}"
    body = res.json()
    if api.seed:
        assert set(body) == {"message"}, body
    else:
        assert body["error"] == code, body
        assert set(body) <= {"error", "message", "details", "request_id"}, body
    assert isinstance(body["message"], str) and body["message"], body
    if message is not None:
        assert body["message"] == message
    assert "\n    at " not in res.text, "no stack trace in an error"
    return body


def send(api, sender, receiver, text, **extra):
    return api.post("/send_message", {"sender_id": sender, "password": PASSWORD, "receiver_id": receiver, "message": text, **extra})


def texts(inbox):
    return [m["message"] for m in inbox["messages"]]


# ---------------------------------------------------------------------------------------------
# Transport


def test_health_answers_ok_with_the_standard_headers(api):
    res = api.get("/health")

    assert res.status_code == 200
    assert res.json() == {"status": "ok"}
    assert res.headers["Content-Type"].startswith("application/json")
    assert "no-store" in res.headers["Cache-Control"]
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers.get("X-Request-Id")


def test_openapi_describes_every_endpoint(api):
    res = api.get("/openapi.json")

    assert res.status_code == 200
    paths = set(res.json()["paths"])
    for endpoint in ["register_user", "login", "send_message", "check_messages", "block_user", "unblock_user",
                     "create_group", "add_remove_users", "send_group_message", "get_group", "list_groups"]:
        assert f"/{endpoint}" in paths
    assert "/health" in paths


def test_unknown_path_is_404_and_wrong_method_is_405(api):
    expect_error(api, api.post("/no_such_endpoint", {}), 404, "not_found")
    res = api.get("/send_message")
    expect_error(api, res, 405, "method_not_allowed")
    assert res.headers["Allow"] == "POST"


def test_a_body_that_is_not_json_is_400_invalid_json(api):
    res = api.post("/register_user", data='{"password": "trailing comma",}', headers={"Content-Type": "application/json"})

    expect_error(api, res, 400, "invalid_json")


def test_a_body_over_64_kib_is_413_and_another_content_type_is_415(api):
    expect_error(api, api.post("/register_user", {"password": "x" * (70 * 1024)}), 413, "payload_too_large")
    res = api.post("/register_user", data="password=secret123", headers={"Content-Type": "application/x-www-form-urlencoded"})
    expect_error(api, res, 415, "unsupported_media_type")


# ---------------------------------------------------------------------------------------------
# Identity


def test_register_answers_a_user_id_only(api):
    res = api.post("/register_user", {"password": PASSWORD})

    assert res.status_code == 200
    assert set(res.json()) == {"user_id"}
    assert USER_ID.match(res.json()["user_id"])


def test_register_refuses_a_password_under_8_characters(api):
    expect_error(api, api.post("/register_user", {"password": "short"}), 400, "validation_failed")


def test_login_answers_a_token_that_authenticates_instead_of_the_password(api):
    alice, bob = api.register(), api.register()
    res = api.post("/login", {"user_id": bob, "password": PASSWORD})
    assert res.status_code == 200, res.text
    assert set(res.json()) >= {"token", "expires_at"}
    send(api, alice, bob, "with a token")

    inbox = api.post("/check_messages", {}, headers={"Authorization": f"Bearer {res.json()['token']}"})

    assert inbox.status_code == 200, inbox.text
    assert texts(inbox.json()) == ["with a token"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_401(api, unknown_user):
    alice = api.register()

    wrong = api.post("/login", {"user_id": alice, "password": "not the password"})
    unknown = api.post("/login", {"user_id": unknown_user, "password": PASSWORD})

    expect_error(api, wrong, 401, "unauthorized")
    expect_error(api, unknown, 401, "unauthorized")
    assert wrong.json()["message"] == unknown.json()["message"]


def test_ten_failed_passwords_lock_the_user_out_even_with_the_right_one(api):
    alice = api.register()
    for _ in range(10):
        assert api.post("/check_messages", {"user_id": alice, "password": "a wrong guess"}).status_code == 401

    locked = api.post("/check_messages", {"user_id": alice, "password": PASSWORD})

    expect_error(api, locked, 429, "too_many_attempts")
    assert int(locked.headers["Retry-After"]) > 0


def test_a_bad_bearer_token_is_401(api):
    res = api.post("/check_messages", {}, headers={"Authorization": "Bearer not.a.token"})

    expect_error(api, res, 401, "unauthorized")


# ---------------------------------------------------------------------------------------------
# Messages


def test_a_sent_message_reaches_the_receiver_inbox_with_its_fields(api):
    alice, bob = api.register(), api.register()

    res = send(api, alice, bob, "Hello Bob")

    assert res.status_code == 200, res.text
    assert res.json()["message"] == f"Message sent to {bob}."
    if api.seed:
        assert set(res.json()) == {"message"}
    else:
        assert MESSAGE_ID.match(res.json()["message_id"])
    [message] = api.inbox(bob)["messages"]
    assert message["sender_id"] == alice
    assert message["message"] == "Hello Bob"
    assert TIMESTAMP.match(message["timestamp"])
    assert set(message) == ({"timestamp", "sender_id", "message"} if api.seed else {"message_id", "timestamp", "sender_id", "message"})
    assert api.inbox(alice)["messages"] == [], "a sender's own sends are not in their inbox"


def test_the_inbox_lists_the_newest_messages_oldest_first(api):
    alice, bob = api.register(), api.register()
    for n in range(3):
        assert send(api, alice, bob, f"message {n}").status_code == 200

    assert texts(api.inbox(bob)) == ["message 0", "message 1", "message 2"]
    assert texts(api.inbox(bob, limit=2)) == ["message 1", "message 2"]


def test_a_message_to_an_unknown_user_is_404_and_an_empty_one_400(api, unknown_user):
    alice = api.register()

    expect_error(api, send(api, alice, unknown_user, "anyone there?"), 404, "user_not_found")
    expect_error(api, send(api, alice, api.register(), "   "), 400, "validation_failed")


def test_a_retried_send_with_the_same_client_message_id_is_stored_once(api):
    alice, bob = api.register(), api.register()
    key = uuid.uuid4().hex

    first = send(api, alice, bob, "only once", client_message_id=key)
    second = send(api, alice, bob, "only once", client_message_id=key)

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert texts(api.inbox(bob)) == ["only once"]
    expect_error(api, send(api, alice, bob, "another text", client_message_id=key), 409, "conflict")


def test_polling_with_the_cursor_returns_each_message_once(api):
    if api.seed:
        pytest.skip("the seed profile answers {\"messages\"} only: no cursor")
    alice, bob = api.register(), api.register()
    send(api, alice, bob, "before")
    first = api.inbox(bob)
    assert texts(first) == ["before"] and first["has_more"] is False

    send(api, alice, bob, "after")
    second = api.inbox(bob, cursor=first["next_cursor"])
    third = api.inbox(bob, cursor=second["next_cursor"])

    assert texts(second) == ["after"]
    assert texts(third) == []


# ---------------------------------------------------------------------------------------------
# Blocking


def test_a_blocked_sender_is_refused_until_unblocked(api):
    alice, bob = api.register(), api.register()

    blocked = api.post("/block_user", {"user_id": alice, "password": PASSWORD, "blocked_user_id": bob})
    refused = send(api, bob, alice, "let me in")
    unblocked = api.post("/unblock_user", {"user_id": alice, "password": PASSWORD, "blocked_user_id": bob})
    delivered = send(api, bob, alice, "thanks")

    assert blocked.status_code == 200 and blocked.json()["message"] == f"You have blocked {bob}."
    assert refused.status_code == 403
    assert refused.json()["message"] == f"You are unable to send messages to {alice}."
    assert unblocked.status_code == 200 and unblocked.json()["message"] == f"You have unblocked {bob}."
    assert delivered.status_code == 200
    assert texts(api.inbox(alice)) == ["thanks"]


def test_blocking_yourself_is_400_and_an_unknown_user_404(api, unknown_user):
    alice = api.register()

    expect_error(api, api.post("/block_user", {"user_id": alice, "password": PASSWORD, "blocked_user_id": alice}), 400, "validation_failed")
    expect_error(api, api.post("/block_user", {"user_id": alice, "password": PASSWORD, "blocked_user_id": unknown_user}), 404, "user_not_found")


# ---------------------------------------------------------------------------------------------
# Groups


def test_a_group_message_reaches_every_other_member_but_those_who_blocked_the_sender(api):
    owner, member, blocker = api.register(), api.register(), api.register()
    group_id = api.create_group(owner, f"{member}, {blocker}", name="Weekend")
    assert GROUP_ID.match(group_id)
    assert api.post("/block_user", {"user_id": blocker, "password": PASSWORD, "blocked_user_id": owner}).status_code == 200

    res = api.post("/send_group_message", {"sender_id": owner, "password": PASSWORD, "group_id": group_id, "message": "Picnic?"})

    assert res.status_code == 200, res.text
    assert res.json()["message"] == f"Message sent to {group_id}."
    [received] = api.inbox(member)["messages"]
    assert (received["group_id"], received["sender_id"], received["message"]) == (group_id, owner, "Picnic?")
    assert api.inbox(blocker)["messages"] == []
    assert api.inbox(owner)["messages"] == []


def test_get_group_and_list_groups_show_the_members_and_roles(api):
    owner, member = api.register(), api.register()
    group_id = api.create_group(owner, [member], name="Book club")

    listed = api.post("/list_groups", {"user_id": member, "password": PASSWORD})

    assert api.members(member, group_id) == [(owner, "admin"), (member, "member")]
    assert listed.status_code == 200
    assert [(g["group_id"], g["name"], g["role"]) for g in listed.json()["groups"]] == [(group_id, "Book club", "member")]


def test_only_members_see_a_group_and_only_members_send_to_it(api):
    owner, outsider = api.register(), api.register()
    group_id = api.create_group(owner, [])

    expect_error(api, api.post("/get_group", {"user_id": outsider, "password": PASSWORD, "group_id": group_id}), 403, "not_a_member")
    res = api.post("/send_group_message", {"sender_id": outsider, "password": PASSWORD, "group_id": group_id, "message": "hi"})
    expect_error(api, res, 403, "not_a_member")


def test_an_admin_adds_and_removes_members(api):
    owner, member = api.register(), api.register()
    group_id = api.create_group(owner, [])
    change = {"requester_id": owner, "password": PASSWORD, "group_id": group_id, "user_id": member}

    added = api.post("/add_remove_users", {**change, "action": "add"})
    members_after_add = api.members(owner, group_id)
    removed = api.post("/add_remove_users", {**change, "action": "remove"})

    assert added.status_code == 200 and added.json()["message"] == f"{member} has been added to the group."
    assert members_after_add == [(owner, "admin"), (member, "member")]
    assert removed.status_code == 200 and removed.json()["message"] == f"{member} has been removed from the group."
    assert api.members(owner, group_id) == [(owner, "admin")]


def test_group_management_follows_the_profile(api):
    owner, member, other = api.register(), api.register(), api.register()
    group_id = api.create_group(owner, [member])
    anonymous_add = {"group_id": group_id, "user_id": other, "action": "add"}

    if api.seed:
        # The seed profile: anyone who knows a group id manages it, without credentials, and a
        # change that changes nothing is a 400 with the original's sentence.
        assert api.post("/add_remove_users", anonymous_add).status_code == 200
        expect_error(api, api.post("/add_remove_users", anonymous_add), 400, "invalid_action",
                     "Invalid action or user already in desired state.")
        created = api.post("/create_group", {"members": f"{member}, {other}"})
        assert created.status_code == 200 and GROUP_ID.match(created.json()["group_id"])
    else:
        expect_error(api, api.post("/add_remove_users", anonymous_add), 401, "unauthorized")
        by_member = api.post("/add_remove_users", {**anonymous_add, "requester_id": member, "password": PASSWORD})
        expect_error(api, by_member, 403, "not_an_admin")
        leave = api.post("/add_remove_users", {"requester_id": member, "password": PASSWORD, "group_id": group_id, "user_id": member, "action": "remove"})
        assert leave.status_code == 200, "any member may leave"
        assert api.members(owner, group_id) == [(owner, "admin")]
