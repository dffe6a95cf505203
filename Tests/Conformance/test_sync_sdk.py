"""The official sync SDKs (requests transport) against the emulator over HTTPS."""

from datetime import datetime, timedelta, timezone

import pytest
from azure.communication.chat import (
    ChatClient,
    ChatMessageType,
    ChatParticipant,
    CommunicationTokenCredential,
    CommunicationUserIdentifier,
)
from azure.communication.identity import CommunicationIdentityClient, CommunicationTokenScope
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError

from conftest import forge_token


@pytest.fixture
def identity(emulator):
    return CommunicationIdentityClient.from_connection_string(emulator.connection_string)


def make_user(identity):
    user, token = identity.create_user_and_token(scopes=[CommunicationTokenScope.CHAT])
    return user, token.token


def chat_client(emulator, token):
    return ChatClient(emulator.endpoint, CommunicationTokenCredential(token))


def test_identity_operations(identity):
    user = identity.create_user()
    assert user.properties["id"].startswith("8:acs:")
    token = identity.get_token(user, scopes=[CommunicationTokenScope.CHAT], token_expires_in=timedelta(hours=1))
    assert token.token.count(".") == 2
    assert token.expires_on
    other, other_token = identity.create_user_and_token(
        scopes=[CommunicationTokenScope.CHAT, CommunicationTokenScope.VOIP], token_expires_in=timedelta(hours=2)
    )
    assert other.properties["id"] != user.properties["id"]
    assert other_token.token
    identity.revoke_tokens(user)
    identity.delete_user(user)
    with pytest.raises(ResourceNotFoundError):
        identity.get_token(user, scopes=[CommunicationTokenScope.CHAT])


def test_every_chat_operation(emulator, identity):
    alice, alice_token = make_user(identity)
    bob, bob_token = make_user(identity)
    client = chat_client(emulator, alice_token)
    created = client.create_chat_thread(
        "Lunch 🍣",
        thread_participants=[ChatParticipant(identifier=bob, display_name="Bob", share_history_time=datetime(2024, 1, 1, tzinfo=timezone.utc))],
    )
    assert not created.errors
    thread = created.chat_thread
    assert thread.topic == "Lunch 🍣"
    assert thread.created_by.properties["id"] == alice.properties["id"]
    threads = client.get_chat_thread_client(thread.id)

    properties = threads.get_properties()
    assert properties.id == thread.id
    threads.update_topic("会議の予定")
    assert threads.get_properties().topic == "会議の予定"

    sent = threads.send_message("hello", sender_display_name="Alice", metadata={"tag": "x"})
    html = threads.send_message("<p><b>資料</b></p>", chat_message_type=ChatMessageType.HTML)
    message = threads.get_message(sent.id)
    assert message.content.message == "hello"
    assert message.sender.properties["id"] == alice.properties["id"]
    assert message.sender_display_name == "Alice"
    assert message.metadata == {"tag": "x"}
    assert message.type == ChatMessageType.TEXT

    threads.update_message(sent.id, content="hello again", metadata={"tag": "y"})
    edited = threads.get_message(sent.id)
    assert edited.content.message == "hello again"
    assert edited.edited_on is not None
    assert int(edited.version) > int(sent.id)

    threads.delete_message(html.id)
    deleted = threads.get_message(html.id)
    assert deleted.deleted_on is not None
    assert deleted.content.message == ""

    messages = list(threads.list_messages())
    sequence = [int(m.sequence_id) for m in messages]
    assert sequence == sorted(sequence, reverse=True)
    kinds = [m.type for m in messages]
    assert "participantAdded" in kinds and "topicUpdated" in kinds
    assert any(m.id == html.id and m.deleted_on for m in messages)
    system = [m for m in messages if m.type == "participantAdded"][0]
    assert {p.identifier.properties["id"] for p in system.content.participants} == {
        alice.properties["id"], bob.properties["id"]
    }

    participants = list(threads.list_participants())
    assert {p.identifier.properties["id"] for p in participants} == {alice.properties["id"], bob.properties["id"]}

    carol, _ = make_user(identity)
    ghost = CommunicationUserIdentifier("8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-00000000dead")
    failures = threads.add_participants([ChatParticipant(identifier=carol, display_name="Carol"), ChatParticipant(identifier=ghost)])
    assert len(failures) == 1
    assert failures[0][0].identifier.properties["id"] == ghost.properties["id"]
    assert failures[0][1].code == "403"
    assert len(list(threads.list_participants())) == 3
    threads.remove_participant(carol)
    assert len(list(threads.list_participants())) == 2

    bob_threads = chat_client(emulator, bob_token).get_chat_thread_client(thread.id)
    bob_threads.send_typing_notification(sender_display_name="Bob")
    bob_threads.send_typing_notification()
    bob_threads.send_read_receipt(sent.id)
    receipts = list(threads.list_read_receipts())
    assert len(receipts) == 1
    assert receipts[0].chat_message_id == sent.id
    assert receipts[0].sender.properties["id"] == bob.properties["id"]

    listed = [t.id for t in client.list_chat_threads()]
    assert thread.id in listed

    client.delete_chat_thread(thread.id)
    with pytest.raises(ResourceNotFoundError):
        threads.get_properties()
    deleted_items = [t for t in client.list_chat_threads() if t.id == thread.id]
    assert deleted_items and deleted_items[0].deleted_on is not None


def test_paging_by_page_and_continuation_token(emulator, identity):
    _, token = make_user(identity)
    client = chat_client(emulator, token)
    thread_id = client.create_chat_thread("paging").chat_thread.id
    threads = client.get_chat_thread_client(thread_id)
    for number in range(7):
        threads.send_message(f"m{number}")
    pages = [list(page) for page in threads.list_messages(results_per_page=2).by_page()]
    assert [len(p) for p in pages] == [2, 2, 2, 2, 1]
    first_pager = threads.list_messages(results_per_page=3).by_page()
    first = list(next(first_pager))
    token_url = first_pager.continuation_token
    assert token_url.startswith(emulator.endpoint.rstrip("/"))
    resumed = threads.list_messages(results_per_page=3).by_page(continuation_token=token_url)
    rest = [m for page in resumed for m in page]
    ids = [m.id for m in first + rest]
    assert len(ids) == 9 and len(set(ids)) == 9
    start = datetime.now(timezone.utc) - timedelta(hours=1)
    assert len(list(threads.list_messages(start_time=start))) == 9
    assert len(list(threads.list_messages(start_time=datetime.now(timezone.utc) + timedelta(hours=1)))) == 0

    for number in range(4):
        extra, _ = make_user(identity)
        threads.add_participants([ChatParticipant(identifier=extra)])
    participant_pages = [list(p) for p in threads.list_participants(results_per_page=2, skip=1).by_page()]
    assert [len(p) for p in participant_pages] == [2, 2]
    thread_pages = list(client.list_chat_threads(results_per_page=1).by_page())
    assert len(thread_pages) >= 1


def test_idempotent_create(emulator, identity):
    _, token = make_user(identity)
    client = chat_client(emulator, token)
    first = client.create_chat_thread("idempotent", idempotency_token="same-request").chat_thread
    second = client.create_chat_thread("idempotent", idempotency_token="same-request").chat_thread
    third = client.create_chat_thread("idempotent").chat_thread
    assert first.id == second.id
    assert third.id != first.id


def test_error_types(emulator, identity):
    alice, alice_token = make_user(identity)
    _, bob_token = make_user(identity)
    client = chat_client(emulator, alice_token)
    thread_id = client.create_chat_thread("private").chat_thread.id
    with pytest.raises(ResourceNotFoundError):
        client.get_chat_thread_client("19:doesnotexist@thread.v2").get_properties()
    with pytest.raises(HttpResponseError) as forbidden:
        chat_client(emulator, bob_token).get_chat_thread_client(thread_id).get_properties()
    assert forbidden.value.status_code == 403
    with pytest.raises(HttpResponseError) as bad:
        client.get_chat_thread_client(thread_id).add_participants(
            [ChatParticipant(identifier=CommunicationUserIdentifier("8:acs:fakeid==="))]
        )
    assert bad.value.status_code == 400


def test_token_expiry_and_revocation(emulator, identity):
    alice, token = make_user(identity)
    expired = forge_token(emulator, alice.properties["id"], exp=datetime.now(timezone.utc).timestamp() - 60)
    with pytest.raises(ClientAuthenticationError):
        list(chat_client(emulator, expired).list_chat_threads())
    client = chat_client(emulator, token)
    assert list(client.list_chat_threads()) == []
    identity.revoke_tokens(alice)
    with pytest.raises(ClientAuthenticationError):
        list(client.list_chat_threads())
    fresh = identity.get_token(alice, scopes=[CommunicationTokenScope.CHAT]).token
    assert list(chat_client(emulator, fresh).list_chat_threads()) == []


def test_seeded_workspace_is_readable(emulator, identity):
    texts = []
    for user in emulator.seeded_users:
        token = identity.get_token(CommunicationUserIdentifier(user["rawId"]), scopes=[CommunicationTokenScope.CHAT]).token
        client = chat_client(emulator, token)
        for item in client.list_chat_threads():
            for message in client.get_chat_thread_client(item.id).list_messages(results_per_page=200):
                if message.content and message.content.message:
                    texts.append(message.content.message)
        if texts:
            break
    assert texts
    assert any(word in text for text in texts for word in ("会議", "東京", "資料", "予定"))
