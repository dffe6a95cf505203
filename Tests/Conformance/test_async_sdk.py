"""The official async SDKs (aiohttp transport) against the emulator over HTTPS."""

from datetime import datetime, timedelta, timezone

import pytest
from azure.communication.chat import ChatMessageType, ChatParticipant, CommunicationUserIdentifier
from azure.communication.chat.aio import ChatClient, CommunicationTokenCredential
from azure.communication.identity import CommunicationTokenScope
from azure.communication.identity.aio import CommunicationIdentityClient
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError

from conftest import forge_token


def identity_client(emulator):
    return CommunicationIdentityClient.from_connection_string(
        emulator.connection_string, connection_verify=emulator.ca_path
    )


def chat_client(emulator, token):
    # aiohttp does not read REQUESTS_CA_BUNDLE; thread clients need connection_verify again (get_chat_thread_client).
    return ChatClient(emulator.endpoint, CommunicationTokenCredential(token), connection_verify=emulator.ca_path)


async def make_user(identity):
    user, token = await identity.create_user_and_token(scopes=[CommunicationTokenScope.CHAT])
    return user, token.token


@pytest.mark.asyncio
async def test_async_identity_operations(emulator):
    async with identity_client(emulator) as identity:
        user = await identity.create_user()
        token = await identity.get_token(user, scopes=[CommunicationTokenScope.CHAT], token_expires_in=timedelta(hours=1))
        assert token.token.count(".") == 2
        await identity.revoke_tokens(user)
        await identity.delete_user(user)
        with pytest.raises(ResourceNotFoundError):
            await identity.revoke_tokens(user)


@pytest.mark.asyncio
async def test_async_every_chat_operation(emulator):
    async with identity_client(emulator) as identity:
        alice, alice_token = await make_user(identity)
        bob, bob_token = await make_user(identity)
        carol, _ = await make_user(identity)
    async with chat_client(emulator, alice_token) as client:
        created = await client.create_chat_thread("async 東京", thread_participants=[ChatParticipant(identifier=bob)])
        assert not created.errors
        thread_id = created.chat_thread.id
        async with client.get_chat_thread_client(thread_id, connection_verify=emulator.ca_path) as threads:
            assert (await threads.get_properties()).topic == "async 東京"
            await threads.update_topic("renamed")
            sent = await threads.send_message("hi", sender_display_name="Alice")
            html = await threads.send_message("<i>x</i>", chat_message_type=ChatMessageType.HTML, metadata={"k": "v"})
            assert (await threads.get_message(html.id)).metadata == {"k": "v"}
            await threads.update_message(sent.id, content="edited")
            assert (await threads.get_message(sent.id)).edited_on is not None
            await threads.delete_message(html.id)
            assert (await threads.get_message(html.id)).deleted_on is not None
            messages = [m async for m in threads.list_messages()]
            assert [int(m.sequence_id) for m in messages] == sorted((int(m.sequence_id) for m in messages), reverse=True)
            failures = await threads.add_participants([ChatParticipant(identifier=carol)])
            assert not failures
            assert len([p async for p in threads.list_participants()]) == 3
            await threads.remove_participant(carol)
            assert len([p async for p in threads.list_participants()]) == 2
            await threads.send_typing_notification()
            await threads.send_read_receipt(sent.id)
            receipts = [r async for r in threads.list_read_receipts()]
            assert [r.chat_message_id for r in receipts] == [sent.id]
            messages = [m async for m in threads.list_messages()]  # now with the membership system messages
            pages = []
            async for page in threads.list_messages(results_per_page=2).by_page():
                pages.append([m async for m in page])
            assert sum(len(p) for p in pages) == len(messages)
            assert all(len(p) <= 2 for p in pages)
            pager = threads.list_messages(results_per_page=2).by_page()
            first = [m async for m in await pager.__anext__()]
            resumed = threads.list_messages(results_per_page=2).by_page(continuation_token=pager.continuation_token)
            rest = []
            async for page in resumed:
                rest.extend([m async for m in page])
            assert len(first) + len(rest) == len(messages)
        threads_listed = [t.id async for t in client.list_chat_threads()]
        assert thread_id in threads_listed
        again = await client.create_chat_thread("same", idempotency_token="async-key")
        same = await client.create_chat_thread("same", idempotency_token="async-key")
        assert again.chat_thread.id == same.chat_thread.id
        await client.delete_chat_thread(thread_id)
        with pytest.raises(ResourceNotFoundError):
            await client.get_chat_thread_client(thread_id, connection_verify=emulator.ca_path).get_properties()
    async with chat_client(emulator, bob_token) as bob_client:
        with pytest.raises(ResourceNotFoundError):
            await bob_client.get_chat_thread_client(thread_id, connection_verify=emulator.ca_path).get_properties()
        with pytest.raises(HttpResponseError) as forbidden:
            await bob_client.get_chat_thread_client(again.chat_thread.id, connection_verify=emulator.ca_path).get_properties()
        assert forbidden.value.status_code == 403


@pytest.mark.asyncio
async def test_async_token_expiry_and_revocation(emulator):
    async with identity_client(emulator) as identity:
        alice, token = await make_user(identity)
        expired = forge_token(emulator, alice.properties["id"], exp=datetime.now(timezone.utc).timestamp() - 60)
        async with chat_client(emulator, expired) as client:
            with pytest.raises(ClientAuthenticationError):
                [t async for t in client.list_chat_threads()]
        await identity.revoke_tokens(alice)
        async with chat_client(emulator, token) as client:
            with pytest.raises(ClientAuthenticationError):
                [t async for t in client.list_chat_threads()]
