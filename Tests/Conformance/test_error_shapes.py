"""The SDK maps errors to the same exception types whichever error body shape the emulator uses."""

import pytest
from azure.communication.chat import ChatClient, CommunicationTokenCredential
from azure.communication.identity import CommunicationIdentityClient, CommunicationTokenScope
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError


def test_live_error_shape_maps_to_the_same_exceptions(live_shaped_emulator):
    emulator = live_shaped_emulator
    identity = CommunicationIdentityClient.from_connection_string(
        emulator.connection_string, connection_verify=emulator.ca_path
    )
    _, alice = identity.create_user_and_token(scopes=[CommunicationTokenScope.CHAT])
    _, bob = identity.create_user_and_token(scopes=[CommunicationTokenScope.CHAT])
    alice_client = ChatClient(emulator.endpoint, CommunicationTokenCredential(alice.token), connection_verify=emulator.ca_path)
    bob_client = ChatClient(emulator.endpoint, CommunicationTokenCredential(bob.token), connection_verify=emulator.ca_path)
    thread_id = alice_client.create_chat_thread("shapes").chat_thread.id
    with pytest.raises(ResourceNotFoundError):
        alice_client.get_chat_thread_client("19:missing@thread.v2", connection_verify=emulator.ca_path).get_properties()
    with pytest.raises(HttpResponseError) as forbidden:
        bob_client.get_chat_thread_client(thread_id, connection_verify=emulator.ca_path).get_properties()
    assert forbidden.value.status_code == 403
    assert "CommunicationError" in str(forbidden.value)
    stale = ChatClient(emulator.endpoint, CommunicationTokenCredential(alice.token + "x"), connection_verify=emulator.ca_path)
    with pytest.raises(ClientAuthenticationError):
        list(stale.list_chat_threads())
