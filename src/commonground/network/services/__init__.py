"""Network writes: connections, requests, blocks and mutes. One module per sub-domain."""

from commonground.network.services.connections import connection_create, connection_remove
from commonground.network.services.requests import (
    connection_request_accept,
    connection_request_create,
    connection_request_decline,
    connection_request_withdraw,
)
from commonground.network.services.safety import (
    member_block,
    member_mute,
    member_unblock,
    member_unmute,
)

__all__ = [
    "connection_create",
    "connection_remove",
    "connection_request_accept",
    "connection_request_create",
    "connection_request_decline",
    "connection_request_withdraw",
    "member_block",
    "member_mute",
    "member_unblock",
    "member_unmute",
]
